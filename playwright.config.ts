import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { ADMIN_TOKEN, BASE_URL, DEMO_PORT, DEMO_URL, PORT } from './test/e2e/fixtures';

// Browser tests run against the real one-process server (`npm run build` first).
// Each run gets a fresh embedded database directory.
const pgliteDir = path.join(os.tmpdir(), `pairwise-e2e-${Date.now()}`);
const demoDir = path.join(os.tmpdir(), `pairwise-e2e-demo-${Date.now()}`);

export default defineConfig({
  testDir: './test/e2e',
  outputDir: './test-results/playwright',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], viewport: { width: 1440, height: 900 } } }],
  // Two servers: an empty one (admin and shell tests build their own data) and one that seeds
  // the demo data on start (the views are tested on it; tests wait for the import to finish).
  webServer: [
    {
      command: 'node dist/server.js',
      url: `${BASE_URL}/api/v1/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        PORT: String(PORT),
        HOST: '127.0.0.1',
        PGLITE_DIR: pgliteDir,
        PAIRWISE_ADMIN_TOKEN: ADMIN_TOKEN,
        PAIRWISE_DEMO: '0',
      },
    },
    {
      command: 'node dist/server.js',
      url: `${DEMO_URL}/api/v1/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        PORT: String(DEMO_PORT),
        HOST: '127.0.0.1',
        PGLITE_DIR: demoDir,
        PAIRWISE_ADMIN_TOKEN: ADMIN_TOKEN,
        PAIRWISE_DEMO: '1',
      },
    },
  ],
});
