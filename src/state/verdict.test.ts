import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../workers/protocol';
import { stopVerdict } from './verdict';

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
