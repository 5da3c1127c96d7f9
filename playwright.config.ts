import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests in Debian's Chromium (Playwright's own browser download does not work on these machines).
 * WebGPU is enabled on the software adapter so the WebGPU backend is exercised too; never pass
 * --disable-software-rasterizer (it removes WebGL and WebGPU).
 */
// E2E_PORT lets two checkouts run their e2e suites side by side on one machine.
const port = Number(process.env.E2E_PORT ?? 4173);
// Specs that use the test build's hooks (`npm run build:e2e` → dist-e2e, VITE_TEST_HOOKS=on): fault injection
// (`fault=`) and the gate that holds runs mid-training (e2e/helpers.ts holdRunsAt), so that "in progress" is made
// deterministically rather than hoped for from a slow machine. Every other spec runs against the production build
// in dist, where the hooks are compiled out (links.spec.ts checks that).
const hooksPort = port + 2000;
const SPECS_USING_TEST_HOOKS = ['robustness', 'protocol', 'foundation', 'lecture', 'lifted', 'firstVisit', 'pauseOnEvent', 'phone', 'methods', 'cnn', 'imageViews'];
const usesTestHooks = new RegExp(`(^|/)(${SPECS_USING_TEST_HOOKS.join('|')})\\.spec\\.ts$`);

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1400, height: 1000 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
    permissions: ['clipboard-read', 'clipboard-write'],
    // The offline service worker precaches about 30 MB; only e2e/offline.spec.ts, which tests it, lets it register.
    serviceWorkers: 'block',
  },
  projects: [
    { name: 'production build', testIgnore: usesTestHooks },
    { name: 'test build (hooks)', testMatch: usesTestHooks, use: { baseURL: `http://127.0.0.1:${hooksPort}` } },
  ],
  webServer: [
    {
      command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
      url: `http://127.0.0.1:${port}`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: `npx vite preview --host 127.0.0.1 --port ${hooksPort} --strictPort --outDir dist-e2e`,
      url: `http://127.0.0.1:${hooksPort}`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
