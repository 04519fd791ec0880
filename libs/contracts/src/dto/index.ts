export * from './common.dto.js';
export * from './validators.js';
export * from './cluster.dto.js';
export * from './capacity-provider.dto.js';
export * from './daemon-container-definition.dto.js';
export * from './daemon-task-definition.dto.js';
export * from './daemon.dto.js';
export * from './service.dto.js';
