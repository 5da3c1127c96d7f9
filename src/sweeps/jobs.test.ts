import { describe, expect, it } from 'vitest';
import type { Experiment } from '../engine/experiment';
import { defaultExperiment } from '../methods/defaultExperiment';
import { validateExperiment } from '../url/validate';
import { decodeHash, encodeExperiment } from '../url/codec';
import { jobKey, seedJobs, sweepCostPerMethod, sweepJobs, sweepSettings } from './jobs';

function withProtocol(): Experiment {
  const e = defaultExperiment();
  e.protocol = {
    seeds: 3,
    target: { metric: 'testAccuracy', value: 0.9 },
    sweep: { runs: [0, 1], axes: [{ key: 'lr', min: 1e-3, max: 1 }], mode: 'grid', points: 7, trialCost: 5, seed: 1 },
  };
  return e;
}

describe('protocol jobs', () => {
  it('replicate k trains with training seed + k and keeps the data seed; replicate 0 is the run itself', () => {
    const e = withProtocol();
    const jobs = seedJobs(e);
    expect(jobs).toHaveLength(3 * e.runs.length);
    expect(jobs.map((j) => j.experiment.training.seed)).toEqual([1, 1, 2, 2, 3, 3]);
    expect(jobs.every((j) => j.experiment.dataset.seed === e.dataset.seed)).toBe(true);
    expect(jobs[0].experiment.runs[0]).toEqual({ algorithm: e.runs[0].algorithm, hyper: e.runs[0].hyper });
    expect(jobs.every((j) => j.experiment.protocol === undefined && j.maxCost === undefined)).toBe(true);
    expect(new Set(jobs.map((j) => j.key)).size).toBe(jobs.length);
  });

  it('varies the data split over seeds only when asked', () => {
    const e = withProtocol();
    e.protocol!.varySplit = true;
    const jobs = seedJobs(e);
    expect(jobs.map((j) => j.experiment.dataset.seed)).toEqual([1, 1, 2, 2, 3, 3]);
    expect(jobs[2].key).not.toBe(seedJobs(withProtocol())[2].key);
    expect(jobs[0].key).toBe(seedJobs(withProtocol())[0].key);
  });

  it('a job key changes with what the result depends on, not with the view or the backend', () => {
    const e = withProtocol();
    const k = jobKey(e, 0, e.runs[0].hyper, 0);
    const view = structuredClone(e);
    view.view.logY = !view.view.logY;
    view.training.backend = 'cpu';
    expect(jobKey(view, 0, view.runs[0].hyper, 0)).toBe(k);
    const data = structuredClone(e);
    data.dataset.noise = 0.2;
    expect(jobKey(data, 0, data.runs[0].hyper, 0)).not.toBe(k);
    expect(jobKey(e, 0, e.runs[0].hyper, 1)).not.toBe(k);
    expect(jobKey(e, 0, e.runs[0].hyper, 0, 5)).not.toBe(k);
  });

  it('a grid sweep runs every setting × seed × swept run with the trial budget', () => {
    const e = withProtocol();
    const jobs = sweepJobs(e);
    expect(jobs).toHaveLength(7 * 3 * 2);
    expect(jobs.every((j) => j.maxCost === 5)).toBe(true);
    const lrs = [...new Set(jobs.map((j) => j.experiment.runs[j.runIndex].hyper.lr))];
    expect(lrs).toHaveLength(7);
    expect(Math.min(...(lrs as number[]))).toBeCloseTo(1e-3);
    expect(sweepCostPerMethod(e)).toBe(7 * 3 * 5);
    // Other hyperparameters stay those of the run.
    expect(jobs.filter((j) => j.runIndex === 0).every((j) => j.experiment.runs[0].hyper.momentum === e.runs[0].hyper.momentum)).toBe(true);
  });

  it('two axes give every combination; a random search draws `points` seeded settings', () => {
    const e = withProtocol();
    e.protocol!.sweep!.axes.push({ key: 'momentum', min: 0.1, max: 0.9 });
    e.protocol!.sweep!.points = 3;
    expect(sweepSettings(e.protocol!.sweep!)).toHaveLength(9);
    e.protocol!.sweep!.mode = 'random';
    e.protocol!.sweep!.points = 5;
    const s = sweepSettings(e.protocol!.sweep!);
    expect(s).toHaveLength(5);
    expect(s).toEqual(sweepSettings(structuredClone(e.protocol!.sweep!)));
  });
});

describe('protocol in the experiment (validator and link)', () => {
  it('round-trips seeds, target, sweep and a promoted run’s tuning through the link', () => {
    const e = withProtocol();
    e.protocol!.varySplit = true;
    e.runs.push({ algorithm: 'adam', hyper: { ...e.runs[1].hyper, lr: 0.01 }, label: 'Adam tuned', tuning: { keys: ['lr'], trials: 7, seeds: 3, cost: 105 } });
    const back = decodeHash('#' + encodeExperiment(e));
    expect(back.ok).toBe(true);
    if (back.ok === true) expect(back.value).toEqual(e);
  });

  it('an experiment without a protocol stays without one (old links mean what they meant)', () => {
    const v = validateExperiment(defaultExperiment());
    expect(v.ok && v.value.protocol).toBe(undefined);
  });

  it('refuses bad protocol fields with a message naming them', () => {
    const errors = (edit: (e: Experiment) => void) => {
      const e = withProtocol();
      edit(e);
      const v = validateExperiment(e);
      return v.ok ? [] : v.errors;
    };
    expect(errors((e) => (e.protocol!.seeds = 0)).join()).toMatch(/protocol.seeds/);
    expect(errors((e) => (e.protocol!.seeds = 11)).join()).toMatch(/protocol.seeds/);
    expect(errors((e) => (e.protocol!.target!.value = 2)).join()).toMatch(/accuracy target/);
    expect(errors((e) => (e.protocol!.sweep!.runs = [4])).join()).toMatch(/refers to run 5/);
    expect(errors((e) => (e.protocol!.sweep!.axes[0].key = 'beta1')).join()).toMatch(/not a numeric hyperparameter of run 1 \(sgd\)/);
    expect(errors((e) => (e.protocol!.sweep!.axes[0].max = 1e-4)).join()).toMatch(/min .* must be below max/);
    expect(errors((e) => (e.protocol!.sweep!.axes[0].max = 1000)).join()).toMatch(/leaves the range/);
    expect(errors((e) => (e.protocol!.sweep!.points = 65)).join()).toMatch(/points/);
    expect(
      errors((e) => {
        e.protocol!.sweep!.axes.push({ key: 'lr', min: 0.01, max: 0.1 });
      }).join(),
    ).toMatch(/twice/);
    expect(errors((e) => (e.runs[0].tuning = { keys: ['nope'], trials: 1, seeds: 1, cost: 1 })).join()).toMatch(/tuning.keys/);
  });
});
