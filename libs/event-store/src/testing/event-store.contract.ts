import { describe } from 'vitest';
import { appendContract } from './append.contract.js';
import { useContractStore, type ContractFactory } from './contract-fixtures.js';
import { propertyContract } from './properties.contract.js';
import { readContract } from './read.contract.js';
import { subscribeContract } from './subscribe.contract.js';

export interface EventStoreContractOptions {
  /** fast-check runs per property. Default 25; an adapter with a slow engine may ask for fewer. */
  readonly propertyRuns?: number;
}

/**
 * The behaviour every EventStore adapter must have (architecture section 3), as one vitest suite to run
 * against each adapter on its real engine. `factory` gives each test a fresh, isolated store.
 */
export function eventStoreContract(adapterName: string, factory: ContractFactory, options: EventStoreContractOptions = {}): void {
  describe(`${adapterName} event store contract`, () => {
    const context = useContractStore(factory);
    appendContract(context);
    readContract(context);
    subscribeContract(context);
    propertyContract(context, { runs: options.propertyRuns ?? 25 });
  });
}
