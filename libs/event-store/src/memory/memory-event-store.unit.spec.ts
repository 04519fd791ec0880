import { eventStoreContract } from '../testing/event-store.contract.js';
import { MemoryEventLog } from './memory-event-log.js';
import { MemoryEventStore } from './memory-event-store.js';

const handlerRetry = { initialDelayMs: 5, maxDelayMs: 50 };

eventStoreContract('memory', async () => {
  // Stores on one log share their data, as processes share a database: reopening is a new store on the same log.
  const log = new MemoryEventLog();
  const opened = [new MemoryEventStore({ log, handlerRetry })];
  const open = () => {
    const store = new MemoryEventStore({ log, handlerRetry });
    opened.push(store);
    return store;
  };
  return {
    store: opened[0],
    reopen: async () => {
      await opened[opened.length - 1].close();
      return open();
    },
    openAnother: async () => open(),
    dispose: async () => {
      await Promise.all(opened.map((store) => store.close()));
    },
  };
});
