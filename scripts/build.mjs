// Builds the suite: type-checks with tsc, then compiles every TypeScript file with swc.
// Each x.ts becomes dist/x.js at the same relative path, and each app gets an entry point
// dist/apps/<name>/main.js that loads dist/apps/<name>/src/main.js. Assets beside the
// sources (templates, fonts) are copied as they are.
import { transformFile } from '@swc/core';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const skipTypecheck = process.argv.includes('--no-typecheck');

if (!skipTypecheck) {
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: root,
      stdio: 'inherit',
    });
  } catch {
    console.error('build: type errors (above)');
    process.exit(1);
  }
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

function outPath(file) {
  return join(root, 'dist', relative(root, file));
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
for (const app of readdirSync(join(root, 'apps'))) {
  writeFileSync(join(root, 'dist/apps', app, 'main.js'), "import './src/main.js';\n");
}
console.log(`built ${count} files into dist/`);
