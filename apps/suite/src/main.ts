import { contextOrExit, getLogger, SERVICE_NAMES } from '#common';
import { resolveDatabaseUrl } from '#database';

const ctx = contextOrExit('suite');
// DEMO_DATA defaults to true on the embedded database; decide it before databaseUrl is set,
// since the services read "a database URL is known" as "not the embedded default".
if (!ctx.config.DATABASE_URL && ctx.config.DEMO_DATA === undefined) ctx.config.DEMO_DATA = 'true';
// Start the embedded database (a child process, on another core) while the four services'
// code loads: on a first start its initialisation is the longest step.
const databaseUrl = resolveDatabaseUrl(ctx);
const { startSuite } = await import('./suite.js');
ctx.databaseUrl = await databaseUrl;
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
