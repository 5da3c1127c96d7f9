import { describe, expect, it } from 'vitest';
import { statusAnnouncement, type RunView } from './statusAnnouncement';

const run = (status: RunView['status'], message?: string): RunView => ({ label: 'Adam', status, message });

describe('status announcements for screen readers', () => {
  it('says when training starts, pauses and a run ends, once each', () => {
    expect(statusAnnouncement([run('idle'), run('idle')], [run('running'), run('starting')])).toBe('Training started.');
    expect(statusAnnouncement([run('running'), run('running')], [run('running'), run('running')])).toBeNull();
    expect(statusAnnouncement([run('running'), run('running')], [run('paused'), run('paused')])).toBe('Paused.');
    expect(statusAnnouncement([run('running'), run('running')], [run('finished', 'stopped by budget'), run('running')])).toBe('Run 1, Adam: finished (stopped by budget).');
    expect(statusAnnouncement([run('finished'), run('running')], [run('finished'), run('diverged')])).toBe('Run 2, Adam: diverged.');
  });

  it('stays quiet while runs only report metrics', () => {
    const training = [run('running'), run('running')];
    for (let k = 0; k < 5; k++) expect(statusAnnouncement(training, training)).toBeNull();
  });
});
