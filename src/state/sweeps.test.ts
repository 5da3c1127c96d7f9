import { describe, expect, it } from 'vitest';
import { useStore } from './store';
import { useSweeps } from './sweeps';

describe('sweeps store', () => {
  it('setPoolSize takes a whole number of workers before the pool exists, and names a bad one', () => {
    useSweeps.getState().setPoolSize(3);
    expect(useSweeps.getState().poolSize).toBe(3);
    useSweeps.getState().setPoolSize(0);
    useSweeps.getState().setPoolSize(2.5);
    expect(useSweeps.getState().poolSize).toBe(3);
    expect(useStore.getState().notices.map((n) => n.text).slice(-2)).toEqual([
      'The pool size must be a whole number of workers ≥ 1, not 0.',
      'The pool size must be a whole number of workers ≥ 1, not 2.5.',
    ]);
  });
});
