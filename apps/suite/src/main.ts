import { contextOrExit, getLogger, SERVICE_NAMES } from '#common';
import { startSuite } from './suite.js';

const ctx = contextOrExit('suite');
const suite = await startSuite(ctx);
getLogger('suite').info(
  { port: ctx.port, services: SERVICE_NAMES.map((s) => ctx.publicUrls[s]) },
  'suite listening',
);
const stop = () => {
  void suite.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
