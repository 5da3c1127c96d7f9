import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultExperiment } from '../methods/defaultExperiment';
import { startTrainingRun } from '../methods/algorithms';
import { defaultRun } from '../methods/registry';
import { activateBackend } from './backend';
import { CANARY_TOLERANCE, canaryOnActiveBackend, canaryReference, compareCanary, runCanary, type CanaryValues } from './backendCanary';
import { BackendFaultError, impossibleEvaluation } from './backendFault';
import { useCpu } from '../testing/cpu';
import { nodeLoader } from '../testing/nodeLoader';

/**
 * The broken GPU backend of issue 32, in Node: the CPU backend's kernels under the name 'webgl', computing right
 * but reading back zeros (what the software WebGPU adapter's reads returned). Registered for this file only.
 */
const BROKEN = 'webgl';

function registerZeroReadingBackend(): void {
  const Cpu = tf.findBackend('cpu')!.constructor as new () => tf.KernelBackend;
  class ZeroReads extends Cpu {
    override readSync(dataId: object): tf.backend_util.BackendValues {
      const values = super.readSync(dataId) as Float32Array;
      return new Float32Array(values.length);
    }
    override async read(dataId: object): Promise<tf.backend_util.BackendValues> {
      return this.readSync(dataId);
    }
  }
  tf.registerBackend(BROKEN, () => new ZeroReads(), 1);
  for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: BROKEN });
}

beforeAll(async () => {
  await useCpu();
  registerZeroReadingBackend();
});

afterAll(async () => {
  await useCpu();
  for (const k of tf.getKernelsForBackend(BROKEN)) tf.unregisterKernel(k.kernelName, BROKEN);
  tf.removeBackend(BROKEN);
});

const zeros = (v: CanaryValues): CanaryValues => ({
  loss: 0,
  gradW1: new Float32Array(v.gradW1.length),
  gradB1: new Float32Array(v.gradB1.length),
  gradW2: new Float32Array(v.gradW2.length),
  gradB2: new Float32Array(v.gradB2.length),
});

describe('backend canary', () => {
  it('has a float64 reference that is not trivial: a loss near log 3 and no zero gradient block', () => {
    const ref = canaryReference();
    expect(ref.loss).toBeGreaterThan(0.3);
    expect(ref.loss).toBeLessThan(3);
    for (const g of [ref.gradW1, ref.gradB1, ref.gradW2, ref.gradB2]) expect(Math.max(...Array.from(g, Math.abs))).toBeGreaterThan(1e-3);
  });

  it('passes on the CPU backend, well inside its tolerance, and leaks no tensors', async () => {
    await useCpu();
    const before = tf.memory().numTensors;
    const verdict = runCanary();
    expect(tf.memory().numTensors).toBe(before);
    expect(verdict).toMatchObject({ ok: true });
    if (verdict.ok) expect(verdict.maxRelativeError).toBeLessThan(CANARY_TOLERANCE / 10);
  });

  it('fails on a backend that reads back zeros, naming the loss it got and the one expected', async () => {
    await tf.setBackend(BROKEN);
    try {
      const verdict = runCanary();
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(verdict.reason).toBe(`loss 0 where ${Number(canaryReference().loss.toPrecision(5))} was expected`);
    } finally {
      await useCpu();
    }
  });

  it('refuses one gradient entry off by 10× the tolerance, accepts one off by a tenth of it', () => {
    const ref = canaryReference();
    const scale = Math.max(...Array.from(ref.gradW2, Math.abs));
    const nudged = (by: number): CanaryValues => {
      const gradW2 = Float64Array.from(ref.gradW2);
      gradW2[3] += by * scale;
      return { ...ref, gradW2 };
    };
    expect(compareCanary(ref, nudged(CANARY_TOLERANCE / 10)).ok).toBe(true);
    const off = compareCanary(ref, nudged(CANARY_TOLERANCE * 10));
    expect(off.ok).toBe(false);
    if (!off.ok) expect(off.reason).toMatch(/^∂L\/∂W₂\[3\] \S+ where \S+ was expected$/);
  });

  it('refuses NaN, and a check pass that throws, with the message', () => {
    const nan = runCanary(() => ({ ...canaryOnActiveBackend(), loss: NaN }));
    expect(nan).toEqual({ ok: false, reason: expect.stringMatching(/^loss NaN where/) });
    const threw = runCanary(() => {
      throw new Error('createBuffer failed');
    });
    expect(threw).toEqual({ ok: false, reason: 'the check pass threw: createBuffer failed' });
    expect(runCanary(() => zeros(canaryOnActiveBackend())).ok).toBe(false);
  });

  it('makes activateBackend fall back past a backend that fails it, with the reason as a notice', async () => {
    const { backend, notices } = await activateBackend(BROKEN);
    try {
      // The next in BACKEND_ORDER that initialises here: WASM when its binary loads in Node, else the CPU.
      expect(['wasm', 'cpu']).toContain(backend);
      expect(notices[0]).toMatch(/^webgl failed its self-check: loss 0 where [\d.]+ was expected$/);
    } finally {
      await useCpu();
    }
  });
});

describe('metrics that cannot be silently zero', () => {
  it('calls loss 0 with accuracy 0 impossible, on either split, and nothing else', () => {
    expect(impossibleEvaluation({ trainLoss: 0, trainAccuracy: 0 })).toMatch(/training loss and accuracy are both exactly 0/);
    expect(impossibleEvaluation({ trainLoss: 0.3, trainAccuracy: 0.9, testLoss: 0, testAccuracy: 0 })).toMatch(/test loss/);
    expect(impossibleEvaluation({ trainLoss: 0, trainAccuracy: 1 })).toBeNull();
    expect(impossibleEvaluation({ trainLoss: 0.7, trainAccuracy: 0 })).toBeNull();
    // Regression (no accuracy): a zero loss is possible.
    expect(impossibleEvaluation({ trainLoss: 0, trainAccuracy: undefined })).toBeNull();
  });

  it('a run on a backend that reads zeros stops with a backend fault at its first evaluation, not "converged"', async () => {
    const e = defaultExperiment();
    e.dataset = { ...e.dataset, kind: 'moons', trainSize: 100, testSize: 50 };
    e.network.hidden = [8];
    e.runs = [defaultRun('lbfgs')];
    await tf.setBackend(BROKEN);
    try {
      const run = await startTrainingRun(e, 0, nodeLoader);
      try {
        let fault: unknown;
        try {
          run.step();
        } catch (err) {
          fault = err;
        }
        expect(fault).toBeInstanceOf(BackendFaultError);
        expect((fault as Error).message).toBe('the webgl backend computes wrong numbers: at iteration 1 the training loss and accuracy are both exactly 0, which no classifier can produce');
      } finally {
        run.dispose();
      }
      // The same run on the CPU backend evaluates normally.
      await useCpu();
      const good = await startTrainingRun(e, 0, nodeLoader);
      const first = good.step();
      good.dispose();
      expect(first.point.trainLoss).toBeGreaterThan(0);
    } finally {
      await useCpu();
    }
  });
});
