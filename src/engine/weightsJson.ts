import * as tf from '@tensorflow/tfjs';
import type { Activation, Params } from './types';

/**
 * Network weights ⇄ JSON (pure functions; the UI uses them to export and import e.g. pretrained weights).
 * Row-major convention of the engine: W_l is d_{l−1} × d_l stored as a flat row-major list, Z = X W + b.
 */
export const WEIGHTS_FORMAT = 'optimizer-playground/weights';
export const WEIGHTS_VERSION = 1;

export interface WeightsJson {
  format: typeof WEIGHTS_FORMAT;
  version: number;
  /** Layer widths including input and output. */
  sizes: number[];
  activation?: Activation;
  /** Free text, e.g. what the weights were pretrained on. */
  note?: string;
  layers: { W: number[]; b: number[] }[];
}

export function paramsToJson(params: Params, meta: { activation?: Activation; note?: string } = {}): WeightsJson {
  const sizes = [params[0].W.shape[0], ...params.map((l) => l.W.shape[1])];
  return {
    format: WEIGHTS_FORMAT,
    version: WEIGHTS_VERSION,
    sizes,
    ...(meta.activation ? { activation: meta.activation } : {}),
    ...(meta.note ? { note: meta.note } : {}),
    layers: params.map((l) => ({ W: Array.from(l.W.dataSync()), b: Array.from(l.b.dataSync()) })),
  };
}

export type ParsedWeights = { ok: true; params: Params; json: WeightsJson } | { ok: false; error: string };

/** Validates untrusted JSON (object or text) and builds tensors the caller owns; never throws. */
export function paramsFromJson(raw: unknown, expectSizes?: number[]): ParsedWeights {
  let o: unknown = raw;
  if (typeof raw === 'string') {
    try {
      o = JSON.parse(raw);
    } catch (err) {
      return { ok: false, error: `not JSON: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  if (typeof o !== 'object' || o === null) return { ok: false, error: 'weights must be a JSON object' };
  const j = o as Partial<WeightsJson>;
  if (j.format !== WEIGHTS_FORMAT) return { ok: false, error: `format must be "${WEIGHTS_FORMAT}"` };
  if (j.version !== WEIGHTS_VERSION) return { ok: false, error: `unsupported weights version ${JSON.stringify(j.version)}` };
  const sizes = j.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s > 0)) return { ok: false, error: 'sizes must list at least two positive whole numbers' };
  if (expectSizes && (expectSizes.length !== sizes.length || expectSizes.some((s, i) => s !== sizes[i])))
    return { ok: false, error: `weights are for a ${sizes.join('-')} network, this one is ${expectSizes.join('-')}` };
  if (!Array.isArray(j.layers) || j.layers.length !== sizes.length - 1) return { ok: false, error: `layers must have ${sizes.length - 1} entries` };
  for (let l = 0; l < j.layers.length; l++) {
    const layer = j.layers[l];
    const nW = sizes[l] * sizes[l + 1];
    if (!layer || !Array.isArray(layer.W) || layer.W.length !== nW || !layer.W.every(Number.isFinite)) return { ok: false, error: `layers[${l}].W must hold ${nW} finite numbers` };
    if (!Array.isArray(layer.b) || layer.b.length !== sizes[l + 1] || !layer.b.every(Number.isFinite)) return { ok: false, error: `layers[${l}].b must hold ${sizes[l + 1]} finite numbers` };
  }
  const params: Params = j.layers.map((layer, l) => ({
    W: tf.tensor2d(layer.W, [sizes[l], sizes[l + 1]]),
    b: tf.tensor1d(layer.b),
  }));
  return { ok: true, params, json: j as WeightsJson };
}
