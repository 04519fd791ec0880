export * from './event-store.contract.js';
export { newEvent, newEvents, type ContractFactory, type ContractStore } from './contract-fixtures.js';
