import * as tf from '@tensorflow/tfjs';
import { installWasmFastPaths } from './wasmFastPaths';
import { runCanary, selfCheckFailure } from './backendCanary';

/**
 * Backend selection. "WebGPU first" means "the fastest backend that works, by a short probe": on a machine
 * without a GPU, WebGPU runs on a software adapter and is the slowest; with a GPU it wins. The probe times a
 * small MLP-like step on each backend that initialises and picks the fastest; the UI remembers the answer.
 */
export const BACKEND_ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

export interface ProbeResult {
  backend: BackendName;
  /** Milliseconds per probe step, per backend that initialised (Infinity when it timed out). */
  timings: Partial<Record<BackendName, number>>;
  notices: string[];
  /** GPU backends not timed because they would run on a software renderer here: the renderer's name. */
  softwareRenderers?: Partial<Record<BackendName, string>>;
}

/**
 * A backend's self-check, run right after it initialises: null when it computes right, else the notice saying why
 * it is not used. The default is the canary (backendCanary.ts); the test build's fault hooks pass their own.
 */
export type SelfCheck = (name: BackendName) => string | null;

export const canarySelfCheck: SelfCheck = (name) => {
  const verdict = runCanary();
  return verdict.ok ? null : selfCheckFailure(name, verdict.reason);
};

/**
 * Try to make `name` the active backend, and check that it computes right (`selfCheck`): a backend that initialises
 * but fails the check is refused like one that does not initialise. tf.setBackend resolves false (not throws) when
 * e.g. no adapter exists.
 */
export async function trySetBackend(name: BackendName, selfCheck: SelfCheck = canarySelfCheck): Promise<string | null> {
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return `${name} is not available in this browser`;
    await tf.ready();
    if (tf.getBackend() !== name) return `${name} did not initialise (TF.js switched to ${tf.getBackend()})`;
    if (name === 'wasm') installWasmFastPaths();
  } catch (err) {
    return `${name} failed to initialise: ${err instanceof Error ? err.message : String(err)}`;
  }
  return selfCheck(name);
}

interface LossSignals {
  /** WebGPU (tfjs-backend-webgpu's WebGPUBackend.device): resolves when the device is lost. */
  device?: { lost?: Promise<{ reason?: string; message?: string }> };
  /** WebGL (MathBackendWebGL.gpgpu.gl): its canvas fires webglcontextlost. */
  gpgpu?: { gl?: { canvas?: Partial<EventTarget> } };
}

/**
 * Call `onLost` (once) when the GPU behind backend `name` is lost: GPUDevice.lost for WebGPU, webglcontextlost on
 * the WebGL context's canvas. Tensors on a lost device are gone and every later read returns zeros or throws, so
 * the caller moves the run to another backend. Returns the function that stops watching (call it on leaving the
 * backend). Host backends cannot be lost: a no-op.
 */
export function watchBackendLoss(name: BackendName, onLost: (reason: string) => void): () => void {
  let watching = true;
  const lost = (reason: string) => {
    if (!watching) return;
    watching = false;
    onLost(reason);
  };
  const signals = (tf.findBackend(name) ?? null) as LossSignals | null;
  if (name === 'webgpu' && signals?.device?.lost) {
    signals.device.lost.then(
      (info) => lost(`the webgpu device was lost (${[info?.reason, info?.message].filter(Boolean).join(': ') || 'no reason given'})`),
      () => undefined,
    );
  }
  const canvas = name === 'webgl' ? signals?.gpgpu?.gl?.canvas : undefined;
  const onContextLost = () => lost('the webgl context was lost');
  canvas?.addEventListener?.('webglcontextlost', onContextLost);
  return () => {
    watching = false;
    canvas?.removeEventListener?.('webglcontextlost', onContextLost);
  };
}

async function timeProbe(budgetMs: number): Promise<number> {
  const x = tf.randomNormal([128, 256], 0, 1, 'float32', 1) as tf.Tensor2D;
  const w = tf.randomNormal([256, 128], 0, 0.05, 'float32', 2) as tf.Tensor2D;
  const stepOnce = async () => {
    const out = tf.tidy(() => {
      const h = tf.relu(tf.matMul(x, w));
      return tf.sum(tf.matMul(h, w, false, true));
    });
    await out.data();
    out.dispose();
  };
  try {
    // Warm-up compiles shaders/pipelines; a backend whose warm-up alone exceeds the budget is too slow here.
    const t0 = performance.now();
    await stepOnce();
    if (performance.now() - t0 > budgetMs) return Infinity;
    const reps = 5;
    const t1 = performance.now();
    for (let i = 0; i < reps; i++) await stepOnce();
    return (performance.now() - t1) / reps;
  } finally {
    x.dispose();
    w.dispose();
  }
}

/** Renderer names of software rasterisers (SwiftShader, Mesa's llvmpipe/lavapipe/softpipe, Windows' WARP). */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|software renderer|microsoft basic render/i;

export function isSoftwareRenderer(description: string): boolean {
  return SOFTWARE_RENDERER.test(description);
}

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/**
 * The software renderer a GPU backend would run on here (no GPU), or null when it has hardware or cannot tell.
 * Asks the browser without initialising the backend: a WebGPU adapter's info, a WebGL context's unmasked renderer.
 */
export async function softwareRendererOf(name: BackendName): Promise<string | null> {
  try {
    if (name === 'webgpu') {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: AdapterInfoLike; isFallbackAdapter?: boolean } | null> } }).gpu;
      const adapter = gpu ? await gpu.requestAdapter() : null;
      if (!adapter) return null;
      const info = adapter.info ?? {};
      const description = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
      if (info.isFallbackAdapter || adapter.isFallbackAdapter) return description || 'fallback adapter';
      return isSoftwareRenderer(description) ? description : null;
    }
    if (name === 'webgl') {
      if (typeof OffscreenCanvas === 'undefined') return null;
      const gl = new OffscreenCanvas(1, 1).getContext('webgl2') as WebGL2RenderingContext | null;
      if (!gl) return null;
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
      gl.getExtension('WEBGL_lose_context')?.loseContext();
      return isSoftwareRenderer(renderer) ? renderer : null;
    }
  } catch {
    /* cannot tell: the probe times the backend */
  }
  return null;
}

/**
 * Probe every backend in BACKEND_ORDER (except those in `skip`), leaving the fastest active.
 *
 * A GPU backend on a software renderer is not timed: on a machine without a GPU it was always far slower than WASM
 * (bench/README.md, 2-core box: probe step WebGPU 63 ms, WebGL 16 ms, WASM 1.1 ms; MNIST step WebGL 60 ms, WASM 9
 * ms), and timing it cost seconds of shader compilation in the browser's GPU process, which the page shares: a run
 * started on a first visit drew its first point 4 s later than with the probe's answer already known.
 */
export async function probeBackends(budgetMs = 3000, skip: BackendName[] = [], selfCheck: SelfCheck = canarySelfCheck): Promise<ProbeResult> {
  const timings: Partial<Record<BackendName, number>> = {};
  const notices: string[] = [];
  const softwareRenderers: Partial<Record<BackendName, string>> = {};
  for (const name of BACKEND_ORDER) {
    if (skip.includes(name)) continue;
    const software = await softwareRendererOf(name);
    if (software) {
      softwareRenderers[name] = software;
      continue;
    }
    // A backend that fails its self-check is not timed: the fastest wrong answer is not an answer.
    const err = await trySetBackend(name, selfCheck);
    if (err) {
      notices.push(err);
      continue;
    }
    try {
      timings[name] = await timeProbe(budgetMs);
    } catch (e) {
      notices.push(`${name} failed its probe: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const ranked = (Object.entries(timings) as [BackendName, number][]).sort((a, b) => a[1] - b[1]);
  const best = ranked.length ? ranked[0][0] : 'cpu';
  await trySetBackend(best, selfCheck);
  return { backend: best, timings, notices, softwareRenderers };
}

/**
 * Activate the preferred backend, falling back along BACKEND_ORDER from it past every backend that does not
 * initialise or fails its self-check. Returns the backend in use and a notice for every backend that failed, so
 * the UI can say why it is not running where the user asked.
 */
export async function activateBackend(preferred: BackendName, selfCheck: SelfCheck = canarySelfCheck): Promise<{ backend: BackendName; notices: string[] }> {
  const notices: string[] = [];
  const start = BACKEND_ORDER.indexOf(preferred);
  const order = [...BACKEND_ORDER.slice(start), ...BACKEND_ORDER.slice(0, start)];
  for (const name of order) {
    const err = await trySetBackend(name, selfCheck);
    if (!err) return { backend: name, notices };
    notices.push(err);
  }
  throw new Error(`no TF.js backend could be initialised: ${notices.join('; ')}`);
}
