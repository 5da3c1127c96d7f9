import { splitCustom } from '../engine/data/csv';
import { IMAGE_KINDS, MAX_SWEEP_TRIALS, networkLayout, type Experiment } from '../engine/experiment';
import { LayerListError } from '../engine/layers';
import { encodeExperiment, encodedLengthBound } from './encode';
import { LINK_HARD_LIMIT, LINK_ORIGIN_ALLOWANCE } from './linkLimits';
import { findSpec, methodOf } from '../methods/registry';

/**
 * The rules that span several fields of an Experiment whose shape is already valid. One list for every way an
 * experiment arrives (link, JSON file, CSV import, preset, UI edit), so the same data is never accepted by one
 * door and refused by another. Each problem names the field it is about.
 */
/** A field's place in the experiment: runs[0].hyper.lr is ['runs', 0, 'hyper', 'lr']. */
export type PathKey = string | number;

export interface SemanticError {
  path: PathKey[];
  message: string;
}

function duplicates(xs: number[]): number[] {
  return Array.from(new Set(xs.filter((x, i) => xs.indexOf(x) !== i)));
}

export function semanticErrors(e: Experiment): SemanticError[] {
  const out: SemanticError[] = [];
  const add = (path: PathKey[], message: string) => out.push({ path, message });
  const ds = e.dataset;
  const image = (IMAGE_KINDS as readonly string[]).includes(ds.kind);

  // Classes: a classifier needs at least two classes in its training split, each named once.
  const dup = duplicates(ds.classes);
  if (dup.length) add(['dataset', 'classes'], `dataset.classes lists ${dup.join(', ')} more than once; each class may appear once`);
  if (image && ds.classes.length === 1)
    add(['dataset', 'classes'], `dataset.classes = [${ds.classes[0]}] keeps one class: a classifier needs at least two (an empty list keeps all ten)`);
  if (ds.resolution !== 14 && ds.resolution !== 28) add(['dataset', 'resolution'], `dataset.resolution must be 28 or 14, got ${ds.resolution}`);
  if (ds.standardize && ds.kind === 'glm')
    add(['dataset', 'standardize'], 'dataset.standardize is not available for the planted GLM: its inputs are standard normal already and θ* refers to them');
  if (ds.coordinates !== undefined && ds.kind !== 'moons')
    add(['dataset', 'coordinates'], `dataset.coordinates is an option of the two-moons dataset only (dataset.kind is ${ds.kind})`);
  if (ds.kind === 'custom' && !ds.custom) add(['dataset', 'custom'], 'dataset.custom is missing: a custom dataset carries its rows');
  if (ds.custom) {
    const c = ds.custom;
    const maxLabel = Math.max(...c.rows.map((r) => r[c.features]));
    if (maxLabel + 1 !== c.classes)
      add(['dataset', 'custom', 'classes'], `dataset.custom.classes = ${c.classes} but the largest label in the rows is ${maxLabel} (classes must be the largest label + 1)`);
    if (ds.kind === 'custom') {
      const { train } = splitCustom(c, ds.seed, ds.trainSize, ds.testSize);
      const present = new Set(train.map((r) => r[c.features]));
      if (present.size < 2)
        add(['dataset', 'custom', 'rows'], `the training split of dataset.custom holds only class ${[...present].join(', ') || '(none)'}: a classifier needs at least two classes in its training data`);
    }
  }

  // Output link and loss the model and the data support.
  const net = e.network;
  if (net.loss === 'ce' && net.outputLink === 'identity') add(['network', 'outputLink'], 'network: cross-entropy needs a softmax or sigmoid output link');
  if (ds.kind === 'glm' && net.outputLink === 'softmax')
    add(['network', 'outputLink'], 'network.outputLink: the planted GLM has one output, and a softmax over one output is always 1; use sigmoid (the GLM link) or identity');

  // The layer list builds on this dataset (shapes, order, budget), or the problem names the layer.
  if (net.layers && net.hidden.length > 0)
    add(['network', 'hidden'], `network.hidden (${net.hidden.join(', ')}) and network.layers are both given: a layer list replaces the hidden widths, so hidden must be empty`);
  let parametricLayers = net.hidden.length + 1;
  try {
    parametricLayers = networkLayout(e).stages.length;
  } catch (err) {
    if (!(err instanceof LayerListError)) throw err;
    add(err.index === null ? ['network', 'layers'] : ['network', 'layers', err.index], `network.layers: ${err.message}`);
  }

  if (e.pretrain) {
    if (!image) add(['pretrain'], 'pretrain needs an image dataset (mnist or fashion)');
    if (parametricLayers < 2) add(['pretrain'], 'pretrain needs at least one hidden layer (the frozen bottom)');
    if (e.pretrain.classes.length < 2) add(['pretrain', 'classes'], 'pretrain.classes must list at least two classes');
    const pdup = duplicates(e.pretrain.classes);
    if (pdup.length) add(['pretrain', 'classes'], `pretrain.classes lists ${pdup.join(', ')} more than once`);
  }

  // What each method's update is defined for: the method folder says (src/methods/<name>/index.ts, checkRun).
  e.runs.forEach((run, i) => {
    for (const m of methodOf(run.algorithm)?.checkRun?.(e, i) ?? []) add(['runs', i, 'algorithm'], m);
  });

  // The comparison protocol refers to runs and their hyperparameters.
  const pr = e.protocol;
  if (pr?.target && pr.target.metric === 'testAccuracy' && pr.target.value > 1)
    add(['protocol', 'target', 'value'], `protocol.target.value = ${pr.target.value}: a test accuracy target lies in [0, 1]`);
  if (pr?.sweep) {
    const sw = pr.sweep;
    const p = 'protocol.sweep';
    if (sw.runs.length === 0) add(['protocol', 'sweep', 'runs'], `${p}.runs must name at least one run`);
    const bad = sw.runs.filter((i) => i >= e.runs.length);
    if (bad.length) add(['protocol', 'sweep', 'runs'], `${p}.runs refers to run ${bad[0] + 1}, but the comparison has ${e.runs.length}`);
    sw.axes.forEach((a, k) => {
      const ap = `${p}.axes[${k}]`;
      if (!(a.min < a.max)) add(['protocol', 'sweep', 'axes', k], `${ap}: min (${a.min}) must be below max (${a.max})`);
      for (const i of sw.runs) {
        const spec = e.runs[i] && findSpec(e.runs[i].algorithm);
        const h = spec?.hyper.find((x) => x.key === a.key);
        if (spec && (!h || (h.kind !== 'number' && h.kind !== 'int'))) add(['protocol', 'sweep', 'axes', k, 'key'], `${ap}.key "${a.key}" is not a numeric hyperparameter of run ${i + 1} (${spec.id})`);
        else if (h && (h.kind === 'number' || h.kind === 'int') && (a.min < h.min || a.max > h.max))
          add(['protocol', 'sweep', 'axes', k], `${ap}: [${a.min}, ${a.max}] leaves the range of ${spec!.id}'s ${a.key}, [${h.min}, ${h.max}]`);
      }
    });
    if (sw.axes.length === 2 && sw.axes[0].key === sw.axes[1].key) add(['protocol', 'sweep', 'axes'], `${p}.axes sweep "${sw.axes[0].key}" twice`);
    const trials = sw.mode === 'grid' ? sw.points ** sw.axes.length : sw.points;
    if (trials > MAX_SWEEP_TRIALS) add(['protocol', 'sweep', 'points'], `${p}: ${trials} settings per method is more than the ${MAX_SWEEP_TRIALS} a sweep may run`);
  }

  if (e.landscape && e.landscape.slice.resolution % 2 === 0)
    add(['landscape', 'slice', 'resolution'], `landscape.slice.resolution must be odd (so the centre is a grid point), got ${e.landscape.slice.resolution}`);
  // References to runs that exist.
  if (e.landscape && e.landscape.slice.reference >= e.runs.length)
    add(['landscape', 'slice', 'reference'], `landscape.slice.reference = ${e.landscape.slice.reference} points past the last run (there are ${e.runs.length}; runs count from 0)`);

  // A link a browser cannot open is refused here, whichever door the experiment came through (linkLimits.ts).
  if (out.length === 0) {
    const fits = (n: number) => n + 1 + LINK_ORIGIN_ALLOWANCE <= LINK_HARD_LIMIT;
    const length = fits(encodedLengthBound(e)) ? 0 : encodeExperiment(e).length + 1 + LINK_ORIGIN_ALLOWANCE;
    if (length > LINK_HARD_LIMIT)
      add(['dataset', 'custom'], `the experiment's link would be ${(length / 1e6).toFixed(2)} million characters; browsers open links up to ${(LINK_HARD_LIMIT / 1e6).toFixed(2)} million (Chromium refuses longer ones), so use a smaller dataset`);
  }
  return out;
}
