// Builds the suite: type-checks with tsc, then compiles every TypeScript file with swc.
// apps/<name>/src/x.ts -> dist/apps/<name>/x.js, libs/<name>/src/x.ts -> dist/libs/<name>/src/x.js
// (libs keep src/ so that package.json "imports" stay one rule). Assets beside the sources
// (templates, fonts) are copied as they are.
import { transformFile } from '@swc/core';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const skipTypecheck = process.argv.includes('--no-typecheck');

if (!skipTypecheck) {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

function outPath(file) {
  const rel = relative(root, file);
  const m = /^apps\/([^/]+)\/src\/(.*)$/.exec(rel);
  const mapped = m ? `apps/${m[1]}/${m[2]}` : rel;
  return join(root, 'dist', mapped);
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
let count = 0;
for (const top of ['apps', 'libs']) {
  for (const file of walk(join(root, top))) {
    if (file.endsWith('.spec.ts') || file.includes('/test/')) continue;
    const target = outPath(file);
    mkdirSync(dirname(target), { recursive: true });
    if (file.endsWith('.ts') && !file.endsWith('.d.ts')) {
      const out = await transformFile(file, { configFile: join(root, '.swcrc'), sourceFileName: relative(dirname(target), file) });
      const js = target.replace(/\.ts$/, '.js');
      writeFileSync(js, out.code + `\n//# sourceMappingURL=${js.split('/').pop()}.map\n`);
      writeFileSync(js + '.map', out.map ?? '');
      count++;
    } else if (!file.endsWith('.ts')) {
      cpSync(file, target);
    }
  }
}
console.log(`built ${count} files into dist/`);
