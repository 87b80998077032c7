import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// `vite dev` proxies the API to a server started with `npm run dev:api` (PAIRWISE_API picks another).
const api = process.env.PAIRWISE_API ?? 'http://127.0.0.1:3000';

/** The chunk a dependency goes to (null: not a dependency). */
function vendorChunk(id: string): string | null {
  const path = id.replaceAll('\\', '/');
  if (!path.includes('/node_modules/')) return null;
  if (/\/node_modules\/(echarts|zrender|tslib)\//.test(path)) {
    return /\/echarts\/lib\/(chart\/scatter|label\/(installLabelLayout|LabelManager))/.test(path)
      ? 'echarts-coach'
      : 'echarts';
  }
  return 'runtime';
}

/** `$lib` code outside the components of one area (coach, admin, tv), which stay with their pages, and the code shared with the API (api/shared). */
function sharedLib(id: string): boolean {
  const path = id.replaceAll('\\', '/');
  return (
    (path.includes('/web/src/lib/') && !/\/web\/src\/lib\/components\/(coach|admin|tv)\//.test(path)) ||
    path.includes('/api/shared/')
  );
}

export default defineConfig({
  root: process.cwd(),
  plugins: [sveltekit()],
  build: {
    rolldownOptions: {
      output: {
        // Fewer, larger files: a browser fetches at most six at a time from one HTTP/1.1 server,
        // and the weekly review's first chart waited on a queue of 14 small ones. One file for the
        // Svelte and SvelteKit runtime, one for the ECharts the weekly charts use (the coaching
        // views' scatter chart and label layout apart), one for the `$lib` code pages share.
        codeSplitting: {
          groups: [{ name: vendorChunk }, { name: 'shared', test: sharedLib, minShareCount: 2 }],
        },
      },
    },
  },
  server: {
    // The Host header is kept (changeOrigin false) so the API's same-origin check passes for writes.
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/login': {
        target: api,
        changeOrigin: false,
        bypass: (req) => (req.url?.includes('token=') ? undefined : req.url),
      },
    },
  },
});
