import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../engine/types';
import { reduceRunMessage, type RunView } from './runReducer';

const run = (over: Partial<RunView> = {}): RunView => ({ status: 'starting', notices: ['probe: cpu'], points: [], version: 0, ...over });
const pt = (iteration: number): MetricPoint => ({ iteration, time: 0, cost: iteration, epoch: 0, loss: 1, gradNorm: 1, extra: {} });

describe('reduceRunMessage (the store’s worker reducer)', () => {
  it('ready: backend, WASM thread count and parameter count set, the worker’s notices appended to the probe’s', () => {
    const u = reduceRunMessage(run(), { type: 'ready', backend: 'wasm', threads: 2, notices: ['wasm: SIMD on'], paramCount: 42, setupMs: 3 }, 0);
    expect(u).toEqual({ patch: { backend: 'wasm', threads: 2, notices: ['probe: cpu', 'wasm: SIMD on'], paramCount: 42 }, flush: false });
  });

  it('metrics: points appended in place; the first batch records the time to first point, later ones only flush', () => {
    const r = run();
    const first = reduceRunMessage(r, { type: 'metrics', points: [pt(1), pt(2)] }, 850);
    expect(first).toEqual({ patch: { firstPointMs: 850 }, flush: false });
    expect(r.points.map((p) => p.iteration)).toEqual([1, 2]);
    const later = reduceRunMessage({ ...r, firstPointMs: 850 }, { type: 'metrics', points: [pt(3)] }, 900);
    expect(later).toEqual({ patch: null, flush: true });
    expect(r.points.map((p) => p.iteration)).toEqual([1, 2, 3]); // the same array, shared with the copy
  });

  it('restarted: earlier points are void and the boundary is dropped; the notice is kept', () => {
    const r = run({ points: [pt(1), pt(2)], boundary: { size: 1, xMin: 0, xMax: 1, yMin: 0, yMax: 1, classes: new Uint8Array(1), confidence: new Float32Array(1), iteration: 2 } });
    const u = reduceRunMessage(r, { type: 'restarted', backend: 'cpu', notice: 'WebGPU lost: restarted on cpu', notices: [] }, 0);
    expect(r.points).toHaveLength(0);
    expect(u.patch).toEqual({ backend: 'cpu', notices: ['probe: cpu', 'WebGPU lost: restarted on cpu'], boundary: undefined });
  });

  it('status: an error without a message says so; other statuses keep the last message unless given one', () => {
    expect(reduceRunMessage(run(), { type: 'status', status: 'error', iteration: 3 }, 0).patch).toEqual({ status: 'error', message: 'unknown error' });
    expect(reduceRunMessage(run({ message: 'diverged at iteration 7' }), { type: 'status', status: 'paused', iteration: 7 }, 0).patch).toEqual({ status: 'paused', message: 'diverged at iteration 7' });
    expect(reduceRunMessage(run(), { type: 'status', status: 'finished', iteration: 9, message: 'converged' }, 0).patch).toEqual({ status: 'finished', message: 'converged' });
  });

  it('replies to requests leave the view alone', () => {
    const r = run();
    expect(reduceRunMessage(r, { type: 'weights', sizes: [2, 1], flat: [0, 0, 0] }, 0)).toEqual({ patch: null, flush: false });
    expect(r).toEqual(run());
  });
});
