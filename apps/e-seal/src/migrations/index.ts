import { Init1764790000000 } from './1764790000000-init.js';

/** Every migration of the e_seal schema, oldest first. */
export const migrations = [Init1764790000000];
