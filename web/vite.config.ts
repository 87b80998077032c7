import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// `vite dev` proxies the API to a server started with `npm run dev:api` (PAIRWISE_API picks another).
const api = process.env.PAIRWISE_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: process.cwd(),
  plugins: [sveltekit()],
  server: {
    // The Host header is kept (changeOrigin false) so the API's same-origin check passes for writes.
    proxy: { '/api': { target: api, changeOrigin: false }, '/login': { target: api, changeOrigin: false, bypass: (req) => (req.url?.includes('token=') ? undefined : req.url) } },
  },
});
