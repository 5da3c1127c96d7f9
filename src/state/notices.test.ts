import { afterEach, describe, expect, it, vi } from 'vitest';
import { useStore } from './store';

describe('notices', () => {
  afterEach(() => vi.useRealTimers());
  it('information clears itself; an error stays until dismissed', () => {
    vi.useFakeTimers();
    const s = useStore.getState();
    s.notify('info', 'Link copied');
    s.notify('error', 'Not applied: bad');
    expect(useStore.getState().notices.map((n) => n.kind)).toEqual(['info', 'error']);
    vi.advanceTimersByTime(11_000);
    expect(useStore.getState().notices).toHaveLength(2);
    vi.advanceTimersByTime(2_000);
    expect(useStore.getState().notices.map((n) => n.text)).toEqual(['Not applied: bad']);
    vi.advanceTimersByTime(60_000);
    expect(useStore.getState().notices).toHaveLength(1);
    s.dismissNotice(useStore.getState().notices[0].id);
    expect(useStore.getState().notices).toHaveLength(0);
  });
});
