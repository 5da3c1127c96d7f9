import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { fileURLToPath } from 'node:url';
import { CROSS_ORIGIN_ISOLATION, tfjsWasmThreads } from './scripts/tfjsWasmThreads.ts';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

/**
 * Dev server only (`npm start`): its inline React-refresh preamble and the HMR websocket need what the app's
 * Content-Security-Policy (index.html) refuses; production builds keep the policy as written.
 */
const devCspPreamble = {
  name: 'dev-csp-preamble',
  apply: 'serve' as const,
  transformIndexHtml: (html: string) => html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws: wss:"),
};

/**
 * Offline after one visit (lecture-hall Wi-Fi fails under a few hundred phones): a Workbox service worker, generated
 * by vite-plugin-pwa, precaches the app, the TF.js WASM binaries and the bundled datasets (about 30 MB), so the app,
 * every preset and any shared link open and train with the network off. A new build is never mixed with an old
 * cache: the new worker waits until the page offers "a new version is ready — reload" (src/ui/UpdateNotice.tsx)
 * and the user accepts. The cached responses keep the server's headers, so cross-origin isolation (COOP/COEP,
 * threaded WASM) holds offline too. The dev server registers no worker.
 */
const offline = VitePWA({
  registerType: 'prompt',
  injectRegister: false,
  includeAssets: ['icon.svg'],
  manifest: {
    name: 'Optimizer Playground',
    short_name: 'Optimizers',
    description: 'Train small networks with several optimisation algorithms side by side, live, in the browser.',
    start_url: '.',
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: '#1f3b57',
    icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,wasm,bin,json,svg,png,woff2,woff,ttf}'],
    // The speed-bench page is not part of the app.
    globIgnores: ['bench*.html', 'assets/bench-*.js', 'docs/**', 'assets/slides-*'],
    // The largest file is the MNIST training set (9.4 MB).
    maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
    navigateFallback: 'index.html',
    cleanupOutdatedCaches: true,
    // The first install takes the open page at once (its code is the version just cached); a later version waits
    // for the user's Reload, then takes the page over and the page reloads into it.
    clientsClaim: true,
  },
});

export default defineConfig({
  plugins: [react(), devCspPreamble, tfjsWasmThreads(), offline],
  base: '/',
  worker: { format: 'es', plugins: () => [tfjsWasmThreads()] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 6000,
    // bench.html is the speed-bench page driven by `npm run bench` (bench/run-all.mjs); index.html is the app;
    // docs/embed/slides.html is the reveal.js deck that shows how the app embeds in slides (README, "Embedding").
    rollupOptions: { input: { main: here('./index.html'), bench: here('./bench.html'), slides: here('./docs/embed/slides.html') } },
  },
  // Cross-origin isolation lets a run train on threaded WASM (scripts/tfjsWasmThreads.ts; README "Static hosting").
  server: { host: '127.0.0.1', headers: CROSS_ORIGIN_ISOLATION },
  preview: { headers: CROSS_ORIGIN_ISOLATION },
  // Pre-bundle every heavy dependency up front (the worker's too): otherwise the dev server discovers them on
  // first use and reloads the page in the middle of the user's first run.
  optimizeDeps: {
    rolldownOptions: { plugins: [tfjsWasmThreads()] },
    include: [
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-backend-webgpu',
      '@tensorflow/tfjs-backend-wasm',
      'plotly.js/dist/plotly-cartesian.min.js',
      'qrcode',
      'react',
      'react-dom/client',
      'zustand',
    ],
  },
});
