// Suite start-up to ready and idle memory, against a bare Express server started the same way.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const services = ['identity', 'e-seal', 'e-license', 'e-archive'];

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(urls, deadlineMs) {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const ok = await Promise.all(
      urls.map((u) => fetch(u).then((r) => r.status === 200, () => false)),
    );
    if (ok.every(Boolean)) return;
    if (Date.now() > end) throw new Error(`not ready within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
}

async function startAndMeasure(args, env, urls) {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: 'ignore' });
  try {
    await waitFor(urls, 60_000);
    const readyMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 3000));
    const own = rssMb(child.pid);
    const others = childPids(child.pid).reduce((sum, p) => sum + rssMb(p), 0);
    return { readyMs, own, others };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

export async function run() {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-suite-'));
  const port = await freePort();
  const env = { PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'development' };
  const urls = services.map((s) => `http://127.0.0.1:${port}/${s}/health/ready`);
  const cold = await startAndMeasure(['dist/apps/suite/main.js'], env, urls);
  const warm = await startAndMeasure(['dist/apps/suite/main.js'], env, urls);
  rmSync(dataDir, { recursive: true, force: true });

  const barePort = await freePort();
  const bare = await startAndMeasure(
    [
      '--input-type=module',
      '-e',
      `import express from 'express'; const a = express(); a.get('/ready', (q, s) => s.send('ok')); a.listen(${barePort});`,
    ],
    {},
    [`http://127.0.0.1:${barePort}/ready`],
  );

  return [
    {
      benchmark: 'suite start-up to all four ready, first start (creates the database)',
      unit: 'ms',
      ours: cold.readyMs,
      baseline: bare.readyMs,
      baselineName: 'bare Express app',
      target: '< 15000',
      met: cold.readyMs < 15000,
    },
    {
      benchmark: 'suite start-up to all four ready, later start',
      unit: 'ms',
      ours: warm.readyMs,
      baseline: bare.readyMs,
      baselineName: 'bare Express app',
      target: '< 5000',
      met: warm.readyMs < 5000,
    },
    {
      benchmark: 'resident memory idle, four services in one process',
      unit: 'MB',
      ours: warm.own,
      baseline: bare.own,
      baselineName: 'bare Express app (Keycloak: 1250)',
      target: '< 300',
      met: warm.own < 300,
    },
    {
      benchmark: 'resident memory idle, embedded database process (PGlite)',
      unit: 'MB',
      ours: warm.others,
      baseline: NaN,
      baselineName: 'none (absent with DATABASE_URL)',
      target: '-',
    },
  ];
}
