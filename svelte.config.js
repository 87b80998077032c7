import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    // The web app is a single-page app served by the same Hono process as the API.
    adapter: adapter({
      pages: 'web/build',
      assets: 'web/build',
      fallback: '200.html',
      precompress: true,
      strict: true,
    }),
    outDir: 'web/.svelte-kit',
    files: {
      src: 'web/src',
      assets: 'web/static',
      routes: 'web/src/routes',
      lib: 'web/src/lib',
      appTemplate: 'web/src/app.html',
      errorTemplate: 'web/src/error.html',
      hooks: { client: 'web/src/hooks.client', server: 'web/src/hooks.server', universal: 'web/src/hooks' },
      params: 'web/src/params',
      serviceWorker: 'web/src/service-worker',
    },
  },
};
