import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProbeResult } from '../engine/backend';

const probeCalls: AbortSignal[] = [];
let answer: (r: ProbeResult) => void = () => {};
vi.mock('../workers/client', () => ({
  probeInWorker: (_timeout: number, signal: AbortSignal) => {
    probeCalls.push(signal);
    return new Promise<ProbeResult>((resolve, reject) => {
      answer = resolve;
      signal.addEventListener('abort', () => reject(signal.reason));
    });
  },
}));

/** backendChoice keeps the page's probe in module state: a fresh copy per test. */
async function fresh() {
  vi.resetModules();
  return import('./backendChoice');
}

describe('backend probe: no run waits for it, and it does not compete with the first run', () => {
  beforeEach(() => {
    probeCalls.length = 0;
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('starts PROBE_START_DELAY_MS after the page opens, not at once', async () => {
    const b = await fresh();
    b.scheduleProbe();
    vi.advanceTimersByTime(b.PROBE_START_DELAY_MS - 1);
    expect(probeCalls).toHaveLength(0);
    expect(b.probeState().status).toBe('not started');
    vi.advanceTimersByTime(1);
    expect(probeCalls).toHaveLength(1);
    expect(b.probeState().status).toBe('running');
    answer({ backend: 'wasm', timings: { wasm: 1 }, notices: [] });
    await vi.runAllTimersAsync();
    expect(b.probeState()).toMatchObject({ status: 'done', result: { backend: 'wasm' } });
    expect(b.autoBackendNow()).toMatchObject({ backend: 'wasm', source: 'probe' });
  });

  it('a run pressed before the delay trains on WASM at once; the probe starts only once no run trains', async () => {
    const b = await fresh();
    b.scheduleProbe();
    vi.advanceTimersByTime(100);
    expect(b.autoBackendNow()).toEqual({ backend: b.FIRST_VISIT_BACKEND, notices: [], source: 'before probe' });
    expect(b.probeState().status).toBe('waiting');
    b.setLiveRunsTraining(true);
    vi.advanceTimersByTime(60_000); // the page-load delay has long passed: still no probe while the run trains
    expect(probeCalls).toHaveLength(0);
    b.setLiveRunsTraining(false);
    vi.advanceTimersByTime(999);
    expect(probeCalls).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(probeCalls).toHaveLength(1);
  });

  it('a probe in progress stops for a run and starts again after it', async () => {
    const b = await fresh();
    b.scheduleProbe(0);
    vi.advanceTimersByTime(0);
    expect(probeCalls).toHaveLength(1);
    b.setLiveRunsTraining(true);
    expect(probeCalls[0].aborted).toBe(true);
    expect(b.probeState().status).toBe('waiting');
    b.setLiveRunsTraining(false);
    vi.advanceTimersByTime(1000);
    expect(probeCalls).toHaveLength(2);
    expect(probeCalls[1].aborted).toBe(false);
  });
});

describe('software renderers are recognised by name', () => {
  it('names SwiftShader, llvmpipe and WARP as software, real GPUs not', async () => {
    const { isSoftwareRenderer } = await import('../engine/backend');
    // What headless Chromium without a GPU reports (measured on the CI machine).
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('google swiftshader')).toBe(true);
    expect(isSoftwareRenderer('Mesa llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
    expect(isSoftwareRenderer('ANGLE (Apple, ANGLE Metal Renderer: Apple M1, Unspecified Version)')).toBe(false);
    expect(isSoftwareRenderer('nvidia ampere')).toBe(false);
  });
});
