import { runService } from '#common';
import { createEArchiveApp } from './app.js';

await runService('e-archive', createEArchiveApp);
