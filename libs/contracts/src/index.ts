export * from './scope.js';
export * from './streams.js';
export * from './error-codes.js';
export * from './events/index.js';
export * from './dto/index.js';
export * from './messages/index.js';
