export * from './event.js';
export * from './cluster.events.js';
export * from './capacity-provider.events.js';
export * from './daemon-task-definition.events.js';
export * from './daemon.events.js';
export * from './deployment.events.js';
export * from './fleet.events.js';
export * from './service.events.js';
