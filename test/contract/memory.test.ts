import { createMemoryStores } from '../../src/stores/memory/create-memory-stores.js';
import { describeStoreContract } from './stores.contract.js';

describeStoreContract('memory', async (clock) => createMemoryStores({ clock }));
