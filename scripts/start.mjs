// `npm start`: builds the web app and the server when their sources are newer than the
// build (first start, after a pull), then runs the server in this process.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** @param {string[]} paths */
function newest(paths) {
  let latest = 0;
  /** @param {string} p */
  const visit = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) for (const name of readdirSync(p)) visit(join(p, name));
    else latest = Math.max(latest, s.mtimeMs);
  };
  paths.forEach(visit);
  return latest;
}
const built = (/** @type {string} */ file) => (existsSync(file) ? statSync(file).mtimeMs : -1);
const shared = ['package.json', 'package-lock.json'];

// Each list holds every source its bundle includes: the web app bundles the code it shares with
// the server (api/shared); the server bundle is api/server.ts and what it imports (api/, db/), never web/.
const steps = [
  {
    script: 'build:web',
    output: 'web/build/200.html',
    sources: ['web/src', 'web/static', 'svelte.config.js', 'web/vite.config.ts', 'api/shared', 'api/routes', ...shared],
  },
  { script: 'build:server', output: 'dist/server.js', sources: ['api', 'db', 'scripts/build-server.mjs', ...shared] },
];
for (const step of steps) {
  if (built(step.output) >= newest(step.sources)) continue;
  console.log(`Building (${step.script}) …`);
  const run = spawnSync('npm', ['run', '--silent', step.script], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`npm run ${step.script} failed; Pairwise did not start.`);
    process.exit(run.status ?? 1);
  }
}
// A computed specifier keeps type-checkers out of the bundle.
const server = new URL('../dist/server.js', import.meta.url).href;
await import(server);
