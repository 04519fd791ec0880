export * from './envelope.js';
export * from './records.js';
export * from './queries.dto.js';
export * from './subjects.js';
export * from './fleet-commands.dto.js';
