import { Init1764790000000 } from './1764790000000-init.js';

/** Every migration of the e_archive schema, oldest first. */
export const migrations = [Init1764790000000];
