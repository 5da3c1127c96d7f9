/**
 * A method's diagnostics — the series of StepMetrics.extra (a phase, step sizes, a swap flag, per-layer residuals) —
 * declared once, with typed keys, in the method's folder (<name>.diagnostics.ts). The method's step writes `extra`
 * as an ExtraOf its declaration, and its panels, events and run-card text read the values through the same
 * declaration, so a misspelt or renamed key is a compile error instead of a plot that silently stays empty.
 * On the wire (worker → store → CSV) `extra` stays a plain record of numbers. Plain data: no TF.js.
 */

/** What a diagnostic is read from: a recorded point (MetricPoint) or a step's metrics. */
export interface HasExtra {
  extra: Record<string, number>;
}

/** One series: a number per step where the method reports it (a flag is 1 when it is set, and absent otherwise). */
export interface Diagnostic<K extends string = string> {
  readonly key: K;
  /** Its value at a point; undefined where the step did not report it. */
  of(point: HasExtra): number | undefined;
}

/** `extra` key of a per-layer diagnostic: `layer<l>.<metric>`, l 1-based. */
export type LayerKey<M extends string = string> = `layer${number}.${M}`;

/** A per-layer series: one number per layer l (1-based) per step, under `layer<l>.<metric>`. */
export interface LayerDiagnostic<M extends string = string> {
  readonly metric: M;
  key(layer: number): LayerKey<M>;
  of(point: HasExtra, layer: number): number | undefined;
}

/** A method's declared diagnostics: its series by key, and its per-layer metrics under `layer`. */
export type Diagnostics<K extends string = string, M extends string = string> = { readonly [k in K]: Diagnostic<k> } & {
  readonly layer: { readonly [m in M]: LayerDiagnostic<m> };
};

type SeriesKeys<D> = { [k in keyof D]: D[k] extends Diagnostic<infer K> ? K : never }[keyof D];
type LayerMetrics<D> = D extends { layer: infer Ls } ? { [m in keyof Ls]: Ls[m] extends LayerDiagnostic<infer M> ? M : never }[keyof Ls] : never;

/** What a step of a method may write into `extra`: the keys its declaration `D` names, and no other. */
export type ExtraOf<D> = Partial<Record<SeriesKeys<D>, number>> & { [k in LayerKey<LayerMetrics<D>>]: number };

/**
 * Declare a method's diagnostics: `series` are keys of one value per step, `perLayer` metrics of one value per layer
 * (`CG_DIAGNOSTICS.alpha.key`, `MDLAM_DIAGNOSTICS.layer.theta.key(2)`). `base`: the diagnostics of a method whose
 * steps this one runs too (two-phase training runs CG's step after its swap), kept under the same names.
 */
export function declareDiagnostics<const K extends string, const M extends string = never, BK extends string = never, BM extends string = never>(
  series: readonly K[],
  perLayer: readonly M[] = [],
  base?: Diagnostics<BK, BM>,
): Diagnostics<K | BK, M | BM> {
  const out: Record<string, Diagnostic> = {};
  const layer: Record<string, LayerDiagnostic> = {};
  if (base) {
    for (const [name, d] of Object.entries(base)) if (name !== 'layer') out[name] = d as Diagnostic;
    Object.assign(layer, base.layer);
  }
  for (const key of series) {
    if (key === 'layer' || key in out) throw new Error(`diagnostic "${key}" is declared twice (or named "layer", the per-layer metrics' place)`);
    out[key] = { key, of: (p: HasExtra) => p.extra[key] };
  }
  for (const metric of perLayer) {
    if (metric in layer) throw new Error(`per-layer diagnostic "${metric}" is declared twice`);
    const key = (l: number): LayerKey<typeof metric> => `layer${l}.${metric}`;
    layer[metric] = { metric, key, of: (p: HasExtra, l: number) => p.extra[key(l)] };
  }
  return { ...out, layer } as unknown as Diagnostics<K | BK, M | BM>;
}
