import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  root: process.cwd(),
  plugins: [sveltekit()],
  server: {
    // `vite dev` proxies the API to a server started with `npm run dev:api`.
    proxy: { '/api': 'http://127.0.0.1:3000', '/login': { target: 'http://127.0.0.1:3000', bypass: (req) => (req.url?.includes('token=') ? undefined : req.url) } },
  },
});
