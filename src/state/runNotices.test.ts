import { describe, expect, it } from 'vitest';
import { splitNotices } from './runNotices';

const run = (status: 'idle' | 'running' | 'finished', notices: string[]) => ({ status, notices });

describe('backend notices are said once', () => {
  it('a notice every started run carries is shared, not repeated per card', () => {
    const na = 'webgpu is not available in this browser';
    const { shared, own } = splitNotices([run('finished', [na]), run('finished', [na]), run('running', [na, 'webgl backend was lost at iteration 15'])]);
    expect(shared).toEqual([na]);
    expect(own).toEqual([[], [], ['webgl backend was lost at iteration 15']]);
  });
  it('idle runs do not hold a notice back; nothing started, nothing shared', () => {
    expect(splitNotices([run('finished', ['x']), run('idle', [])]).shared).toEqual(['x']);
    expect(splitNotices([run('idle', [])]).shared).toEqual([]);
  });
  it('a notice only one run carries stays on its card', () => {
    const { shared, own } = splitNotices([run('finished', ['a']), run('finished', [])]);
    expect(shared).toEqual([]);
    expect(own).toEqual([['a'], []]);
  });
});
