// Module-level locks shared by importers: identity follows the import, not the local name.
import { Mutex } from '@deadbolt/runtime';

export const inbox = new Mutex({ name: 'inbox' });
export const outbox = new Mutex({ name: 'outbox' });
