// Bundles the API server into dist/server.js (dependencies stay in node_modules).
import { build } from 'esbuild';

await build({
  entryPoints: ['api/server.ts'],
  outfile: 'dist/server.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
console.log('Built dist/server.js');
