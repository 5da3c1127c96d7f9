import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../workers/protocol';
import { SHORT_VERDICT, stopDetail, stopVerdict, type StopVerdict } from './verdict';

const pt = (iteration: number, loss: number, fullGradNorm?: number): MetricPoint =>
  ({ iteration, epoch: 0, cost: iteration, time: 0, loss, fullGradNorm, extra: {} }) as MetricPoint;

describe('why a run stopped', () => {
  it('CG on the ln 10 plateau at a small init is stalled, not converged, although its gradient is tiny', () => {
    const points = [pt(1, 2.3026, 2.1e-4), pt(2, 2.3010, 2.0e-4), pt(3, 2.2993, 1.9e-4)];
    expect(stopVerdict('converged to float32 precision: the line search found no decrease', points)).toBe('stalled on a plateau');
  });
  it('a gradient a thousand times below its peak is converged', () => {
    const points = [pt(1, 1.0, 0.5), pt(2, 0.2, 2.0), pt(3, 0.01, 1e-4)];
    expect(stopVerdict('converged to float32 precision', points)).toBe('converged');
  });
  it('the budget running out says so, whatever the gradient', () => {
    expect(stopVerdict('finished 3000 iterations', [pt(1, 1, 1), pt(2, 0.1, 1e-6)])).toBe('stopped by budget');
    expect(stopVerdict('budget of 50 cost units spent at iteration 40', [pt(1, 1, 1)])).toBe('stopped by budget');
  });
  it('progress then a stop with a large gradient is stalled', () => {
    expect(stopVerdict('line search failed', [pt(1, 2.0, 1), pt(2, 0.8, 0.5)])).toBe('stalled');
  });
  it('no points, no verdict', () => {
    expect(stopVerdict('finished 0 iterations', [])).toBeNull();
  });
});

describe('one verdict per run', () => {
  const cgMessage = 'converged to float32 precision: the line search found no decrease along d nor along −g (loss 2.30, ‖g‖ 2.0e-4)';
  const plateau = [pt(1, 2.3026, 2.1e-4), pt(2, 2.3010, 2.0e-4), pt(3, 2.2993, 1.9e-4)];

  it('CG on the plateau: the card says "stalled on a plateau" and its detail no longer says "converged"', () => {
    const verdict = stopVerdict(cgMessage, plateau);
    expect(verdict).toBe('stalled on a plateau');
    const detail = stopDetail(cgMessage, verdict)!;
    expect(detail).not.toMatch(/converged/i);
    expect(detail).toMatch(/^at float32 precision, the line search found no decrease/);
  });
  it('a converged run keeps its message whole; a budget stop keeps its own', () => {
    expect(stopDetail(cgMessage, 'converged')).toBe(cgMessage);
    expect(stopDetail('finished 3000 iterations', 'stopped by budget')).toBe('finished 3000 iterations');
    expect(stopDetail(undefined, 'stalled')).toBeUndefined();
  });
  it('no stop message of a method contradicts a verdict other than converged', () => {
    for (const verdict of ['stalled on a plateau', 'stalled', 'stopped by budget'] as StopVerdict[])
      for (const m of [cgMessage, 'converged (‖∇L‖ ≤ 1e-6)', 'converged to float64 precision: no decrease'])
        expect(stopDetail(m, verdict), `${verdict}: ${m}`).not.toMatch(/converged/i);
  });
  it('every verdict has a short chip word', () => {
    for (const v of ['stopped by budget', 'converged', 'stalled on a plateau', 'stalled'] as StopVerdict[]) expect(SHORT_VERDICT[v].length).toBeLessThanOrEqual(9);
  });
});
