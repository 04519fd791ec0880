export { ApiGatewayModule } from './gateway.module.js';
export { startApiGateway, MAX_BODY_BYTES } from './bootstrap-gateway.js';
