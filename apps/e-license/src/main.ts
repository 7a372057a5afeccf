import { runService } from '#common';
import { createELicenseApp } from './app.js';

await runService('e-license', createELicenseApp);
