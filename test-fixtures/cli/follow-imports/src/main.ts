// The program's only root file, as many applications' tsconfig names it; the rest is reached by imports.
import { credit } from '../lib/ledger.js';
import { countRequest } from '@metrics/requests.js';

credit(5);
countRequest();
