import { afterEach, describe, expect, it, vi } from 'vitest';
import { findPreset } from '../presets';
import { INFO_NOTICE_MS } from './uiSlice';
import { useStore } from './store';
import { testStore } from '../testing/storeFixture';

describe('ui slice', () => {
  afterEach(() => vi.useRealTimers());

  it('notices: information clears itself; an error stays until dismissed', () => {
    vi.useFakeTimers();
    const s = useStore.getState();
    s.notify('info', 'Link copied');
    s.notify('error', 'Not applied: bad');
    expect(useStore.getState().notices.map((n) => n.kind)).toEqual(['info', 'error']);
    vi.advanceTimersByTime(INFO_NOTICE_MS - 1000);
    expect(useStore.getState().notices).toHaveLength(2);
    vi.advanceTimersByTime(2_000);
    expect(useStore.getState().notices.map((n) => n.text)).toEqual(['Not applied: bad']);
    vi.advanceTimersByTime(60_000);
    expect(useStore.getState().notices).toHaveLength(1);
    s.dismissNotice(useStore.getState().notices[0].id);
    expect(useStore.getState().notices).toHaveLength(0);
  });

  it('keeps the five latest notices, each with its own id', () => {
    const { store } = testStore();
    for (let i = 0; i < 7; i++) store.getState().notify('error', `e${i}`);
    const notices = store.getState().notices;
    expect(notices.map((n) => n.text)).toEqual(['e2', 'e3', 'e4', 'e5', 'e6']);
    expect(new Set(notices.map((n) => n.id)).size).toBe(5);
  });

  it('the stage cycles its second plot and its enlarged slot', () => {
    const { store } = testStore();
    const ids = ['accuracy', 'gradient', 'boundary'];
    store.getState().cycleStageSecond(ids);
    expect(store.getState().stageSecond).toBe('gradient');
    store.getState().cycleStageSecond(ids);
    store.getState().cycleStageSecond(ids);
    expect(store.getState().stageSecond).toBe('accuracy');
    store.getState().cycleStageSecond([]);
    expect(store.getState().stageSecond).toBe('accuracy');
    const enlarged = [1, 2, 3].map(() => (store.getState().cycleStageEnlarged(), store.getState().stageEnlarged));
    expect(enlarged).toEqual(['loss', 'second', null]);
  });

  it('the lecture step stays within the lecture', () => {
    const { store } = testStore();
    store.getState().setLectureStep(3);
    expect(store.getState().lectureStep).toBe(0); // no lecture
    store.getState().loadPreset('twophase-mnist');
    const n = findPreset('twophase-mnist')!.steps!.length;
    store.getState().setLectureStep(n + 5);
    expect(store.getState().lectureStep).toBe(n - 1);
    store.getState().setLectureStep(-2);
    expect(store.getState().lectureStep).toBe(0);
  });

  it('view toggles set what they say', () => {
    const { store } = testStore();
    const s = store.getState();
    s.setPresentation(true);
    s.setAccuracyZoom(true);
    s.setHelp(true);
    s.setPlotInfo('loss');
    s.setAbout({ algorithm: 'adam', source: 'defaults' });
    expect(store.getState()).toMatchObject({ presentation: true, accuracyZoom: true, helpOpen: true, plotInfo: 'loss', about: { algorithm: 'adam' } });
  });
});
