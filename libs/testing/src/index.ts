export * from './decider-specification.js';
export * from './eventually.js';
export * from './free-port.js';
export * from './nats-server.js';
export * from './nats-suite.js';
export * from './nats-cluster.js';
export * from './nats-lossy-acks.js';
export * from './subscription-tap.js';
