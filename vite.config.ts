import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
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

export default defineConfig({
  plugins: [react(), devCspPreamble, tfjsWasmThreads()],
  base: '/',
  worker: { format: 'es', plugins: () => [tfjsWasmThreads()] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 6000,
    // bench.html is the speed-bench page driven by `npm run bench` (bench/run-all.mjs); index.html is the app.
    rollupOptions: { input: { main: here('./index.html'), bench: here('./bench.html') } },
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
