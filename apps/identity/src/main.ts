import { runService } from '#common';
import { createIdentityApp } from './app.js';

await runService('identity', createIdentityApp);
