export * from './event-store.port.js';
export * from './event-store.errors.js';
export * from './limits.js';
export * from './stream-id.js';
export { DEFAULT_HANDLER_RETRY, type HandlerRetryPolicy } from './shared/handler-retry.js';
export * from './memory/memory-event-log.js';
export * from './memory/memory-event-store.js';
export * from './sqlite/sqlite-event-store.js';
export * from './jetstream/jetstream-event-store.js';
