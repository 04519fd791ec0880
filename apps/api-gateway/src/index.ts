export { ApiGatewayModule } from './gateway.module.js';
export { startApiGateway } from './bootstrap-gateway.js';
