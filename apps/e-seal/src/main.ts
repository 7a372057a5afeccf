import { runService } from '#common';
import { createESealApp } from './app.js';

await runService('e-seal', createESealApp);
