// Compiles apps/*/src and libs/*/src to CommonJS under dist/ for the container image (Dockerfile,
// build stage). swc keeps the decorator metadata NestJS needs (esbuild cannot emit it) and rewrites
// the `@haidang/*` paths of tsconfig.base.json to relative requires, so `node dist/apps/<service>/src/main.js`
// runs with the production node_modules alone. Specs, the test harness and the Nx plugin stay out.
import { transformFileSync } from '@swc/core';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? '.');
const out = resolve(process.argv[3] ?? join(root, 'dist'));
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
const LEFT_OUT = new Set(['libs/testing', 'libs/nx-plugin']);

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !/\.(unit|int|e2e)\.spec\.ts$/.test(entry.name)) yield path;
  }
}

let count = 0;
for (const top of ['apps', 'libs']) {
  for (const project of readdirSync(join(root, top))) {
    if (LEFT_OUT.has(`${top}/${project}`)) continue;
    for (const file of sources(join(root, top, project, 'src'))) {
      const { code } = transformFileSync(file, {
        swcrc: false,
        sourceMaps: false,
        module: { type: 'commonjs' },
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          baseUrl: root,
          paths: compilerOptions.paths,
        },
      });
      const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, code);
      count += 1;
    }
  }
}
// Files a service serves as they are (the projections dashboard's page, script and styles) live in
// `static/` folders: copied beside the compiled code, where `__dirname` finds them.
function* staticFiles(dir, inStatic = false) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* staticFiles(path, inStatic || entry.name === 'static');
    else if (inStatic) yield path;
  }
}
let copied = 0;
for (const project of readdirSync(join(root, 'apps'))) {
  for (const file of staticFiles(join(root, 'apps', project, 'src'))) {
    const target = join(out, relative(root, file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
    copied += 1;
  }
}
process.stdout.write(`compiled ${count} files and copied ${copied} static files to ${relative(root, out) || '.'}\n`);
