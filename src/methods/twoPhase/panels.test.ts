import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../engine/types';
import { methodOf } from '../registry';
import { TWO_PHASE_PANELS, twoPhaseStatus } from './panels';

const p = (iteration: number, extra: Record<string, number>): MetricPoint => ({ iteration, time: 0, cost: iteration, epoch: iteration, loss: 1, gradNorm: 1, extra });

describe('two-phase panels and status (declared as data)', () => {
  it('the status line follows the phase and names the swap', () => {
    expect(twoPhaseStatus([])).toBeNull();
    expect(twoPhaseStatus([p(1, { phase: 0 })])).toBe('phase: Adam (watching ‖∇L‖ for the peak)');
    expect(twoPhaseStatus([p(1, { phase: 0 }), p(40, { phase: 0, swap: 1, swapEpoch: 10 }), p(41, { phase: 1 })])).toBe('phase: CG (swapped at epoch 10, iteration 40)');
    expect(methodOf('twophase')?.status).toBe(twoPhaseStatus);
  });

  it('the gradient-norm-vs-loss figure draws each phase, the swap star, and hides a hidden run in the legend', () => {
    const custom = TWO_PHASE_PANELS.find((s) => s.kind === 'custom');
    if (custom?.kind !== 'custom') throw new Error('no custom panel');
    const pts = [p(1, { phase: 0, epochLoss: 2, epochGradNorm: 0.1 }), p(2, { phase: 0, epochLoss: 1.5, epochGradNorm: 0.4, swap: 1, swapLoss: 1.5, swapGradNorm: 0.4, swapEpoch: 2 }), p(3, { phase: 1, epochLoss: 1, epochGradNorm: 0.2 })];
    const fig = custom.build({ runs: [{ label: 'Adam → CG', color: '#123456', hidden: true, points: pts }], xAxis: 'iteration' });
    const names = (fig.data as { name: string; visible?: unknown }[]).map((d) => d.name);
    expect(names).toEqual(expect.arrayContaining(['1. Adam → CG — Adam phase', '1. Adam → CG — CG phase', '1. Adam → CG — swap']));
    expect((fig.data as { name: string; visible?: unknown }[]).find((d) => d.name.endsWith('swap'))?.visible).toBe('legendonly');
    // Only shown runs place the slope-½ reference (a hidden run's points set no axis either).
    expect(names).not.toContain('slope ½ (convex bowl)');
  });

  it('the slope-½ reference spans the shown runs’ losses (not 1e4 times the lowest), and the swap label points inwards', () => {
    const custom = TWO_PHASE_PANELS.find((s) => s.kind === 'custom');
    if (custom?.kind !== 'custom') throw new Error('no custom panel');
    // the swap at the largest loss and the largest norm: the top-left corner of the reversed loss axis
    const pts = [p(1, { phase: 0, epochLoss: 2, epochGradNorm: 0.4, swap: 1, swapLoss: 2, swapGradNorm: 0.4, swapEpoch: 1 }), p(2, { phase: 1, epochLoss: 0.5, epochGradNorm: 0.1 }), p(3, { phase: 1, epochLoss: 0.01, epochGradNorm: 0.01 })];
    const fig = custom.build({ runs: [{ label: 'Adam → CG', color: '#123456', hidden: false, points: pts }], xAxis: 'iteration' });
    const slope = (fig.data as { name: string; x: number[] }[]).find((d) => d.name === 'slope ½ (convex bowl)');
    expect(slope?.x).toEqual([0.01, 2]);
    const [label] = (fig.layout as { annotations: { text: string; ax: number; ay: number }[] }).annotations;
    expect(label.text).toBe('swap (epoch 1)');
    expect(label.ax).toBeGreaterThan(0); // at the left edge: text to the right
    expect(label.ay).toBeGreaterThan(0); // at the top: text below
  });
});
