import type { Experiment, RunConfig } from '../engine/experiment';
import type { HyperSpec } from '../engine/hyper';
import { findSpec, runLabel } from './registry';

/**
 * What the legend, the run cards and the stage call each run of a comparison. A run the user named keeps its name;
 * otherwise the method's name, followed — when other runs of the same method are in the comparison — by the
 * settings in which they differ ("SGD (momentum) γ 0.3"), so that two runs of one method never look alike.
 */
export function runLabels(runs: readonly RunConfig[]): string[] {
  return runs.map((run, i) => {
    if (run.label) return run.label;
    const base = runLabel(run);
    const spec = findSpec(run.algorithm);
    const same = runs.filter((r, j) => j !== i && r.algorithm === run.algorithm && !r.label);
    if (!spec || !same.length) return base;
    const differing = spec.hyper.filter((h) => same.some((r) => r.hyper[h.key] !== run.hyper[h.key]));
    const parts = differing.map((h) => `${hyperSymbol(h)} ${formatHyper(h, run.hyper[h.key])}`);
    // Identical settings (e.g. the same method twice to compare seeds elsewhere): say which copy it is.
    if (!parts.length) return `${base} #${runs.slice(0, i + 1).filter((r) => r.algorithm === run.algorithm && !r.label).length}`;
    return `${base} ${parts.join(' ')}`;
  });
}

/**
 * The short name of a setting in a label: the symbol its label ends with ("momentum μ" → μ), γ for a learning rate
 * (the step size in the methods' update rules), else the label itself.
 */
export function hyperSymbol(h: HyperSpec): string {
  if (/learning rate$/.test(h.label)) return 'γ';
  const last = h.label.split(' ').pop() ?? h.label;
  if (last !== h.label && (/^[^\x20-\x7e]{1,2}\d?$/.test(last) || /^[a-zA-Z]\d?$/.test(last))) return last;
  return h.label;
}

export function formatHyper(h: HyperSpec, v: number | string | boolean | undefined): string {
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  if (typeof v === 'string') return h.kind === 'choice' ? (h.options.find((o) => o.value === v)?.label ?? v) : v;
  if (typeof v !== 'number' || !Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-2 || Math.abs(v) >= 1e5)) return v.toExponential().replace(/\.?0+e/, 'e').replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

const DATASET_NAMES: Record<Experiment['dataset']['kind'], string> = {
  circle: 'a circle inside a ring',
  xor: 'XOR',
  blobs: 'three blobs',
  spiral: 'two spirals',
  moons: 'two moons',
  glm: 'a planted GLM',
  mnist: 'an MNIST subset',
  fashion: 'a Fashion-MNIST subset',
  custom: 'imported data',
};

/** The title an experiment gets from what it compares: its methods (in run order, once each) and its data. */
export function autoTitle(e: Experiment): string {
  const methods: string[] = [];
  for (const r of e.runs) {
    const name = (findSpec(r.algorithm)?.label ?? r.algorithm).replace(/\s*\([^)]*\)$/, ''); // "SGD (momentum)" → "SGD"
    if (!methods.includes(name)) methods.push(name);
  }
  return `${methods.join(' vs ')} on ${DATASET_NAMES[e.dataset.kind]}`.slice(0, 120);
}

/**
 * After an edit, the title follows the experiment — becomes the new automatic title — when it was not the user's own
 * (it was the automatic title, or the title a preset gave it) and what it describes changed (the methods or the
 * data). A title the user typed stays theirs; clearing it lets it follow again.
 */
export function followTitle(before: Experiment, after: Experiment, presetTitles: readonly string[]): string {
  const own = after.title !== before.title;
  if (own) return after.title.trim() ? after.title : autoTitle(after);
  const automatic = before.title === autoTitle(before) || presetTitles.includes(before.title);
  if (automatic && autoTitle(before) !== autoTitle(after)) return autoTitle(after);
  return after.title;
}
