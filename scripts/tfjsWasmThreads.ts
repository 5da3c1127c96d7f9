import type { Plugin } from 'vite';

/**
 * Threaded WASM after bundling (README "Static hosting"; e2e/wasmThreads.spec.ts checks it in the built app).
 *
 * TF.js's threaded WASM backend starts its pthread workers from two blob: URLs it builds at run time: the
 * pthread worker script (a string in the package) and the Emscripten module factory, serialised with
 * `wasmFactoryThreadedSimd.toString()`. After bundling, that serialised function is the *minified* one, and the
 * minifier has rewritten the guarded read of a variable of the enclosing closure (`typeof _scriptDir !==
 * "undefined" && _scriptDir`) into a plain read of its renamed binding (`e !== void 0 && e`), which is fine in the
 * bundle but undefined in the pthread, where only the inner function's text exists: every pthread dies with
 * "ReferenceError: e is not defined". Reproduced with a one-worker page (tfjs-core + backend-wasm, one matMul) built
 * by Vite 8: the minified build fails that way, the same build with `build.minify: false` runs on 2 threads.
 *
 * Fix: the pthreads load both scripts from the app (copied unmodified from the package into public/tfjs-wasm/ by
 * scripts/prepare-assets.mjs), so no bundled code is ever re-evaluated out of its scope. Two lines of TF.js's
 * backend_wasm.js are rewritten to point there (the prefix given to setWasmPaths); the build fails loudly if a
 * TF.js upgrade changes them. Also no blob: workers or scripts are needed, so a Content-Security-Policy can keep
 * worker-src and script-src to 'self'.
 */
const FILE = /@tensorflow[\\/]tfjs-backend-wasm[\\/]dist[\\/]backend_wasm\.js$/;

const WORKER_BLOB = /if \(path\.endsWith\('\.worker\.js'\)\) \{[\s\S]*?return URL\.createObjectURL\(blob\);\s*\}/;
const WORKER_URL = `if (path.endsWith('.worker.js')) {
                return (wasmPathPrefix != null ? wasmPathPrefix : prefix) + path;
            }`;
const FACTORY_BLOB = /factoryConfig\.mainScriptUrlOrBlob = new Blob\(\[`var WasmBackendModuleThreadedSimd = ` \+\s*wasmFactoryThreadedSimd\.toString\(\)\], \{ type: 'text\/javascript' \}\);/;
const FACTORY_URL = `factoryConfig.mainScriptUrlOrBlob = (wasmPathPrefix != null ? wasmPathPrefix : '') + 'tfjs-backend-wasm-threaded-simd.js';`;

export function patchBackendWasm(code: string, id: string): string {
  if (!WORKER_BLOB.test(code) || !FACTORY_BLOB.test(code))
    throw new Error(`${id}: TF.js's threaded-WASM start-up code has changed; update scripts/tfjsWasmThreads.ts`);
  return code.replace(WORKER_BLOB, WORKER_URL).replace(FACTORY_BLOB, FACTORY_URL);
}

/** For Vite's build and the dev server's dependency pre-bundling alike. */
export function tfjsWasmThreads(): Plugin {
  return {
    name: 'tfjs-wasm-threads-from-app',
    transform(code, id) {
      if (!FILE.test(id.split('?')[0])) return null;
      return { code: patchBackendWasm(code, id), map: null };
    },
  };
}

/** Cross-origin isolation (needed for SharedArrayBuffer, hence for WASM threads): same headers in dev and preview. */
export const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
