import * as tf from '@tensorflow/tfjs';
import { GLM_DIM, type DatasetConfig } from '../experiment';
import { deriveSeed, gaussian, makeRng } from '../random';
import type { DataSplit } from '../types';
import { splitCustom } from './csv';
import { decodeImageSet, downsample2x, type ImageSet } from './shipped';
import { standardizeSplit } from './standardize';
import { generate2D, SYNTHETIC_KINDS, type SyntheticKind } from './synthetic';

/** Loads a file under public/datasets by name (fetch in the worker, readFile in Node tests). */
export type BinaryLoader = (file: string) => Promise<ArrayBuffer | Uint8Array>;

function oneHot(labels: ArrayLike<number>, k: number): Float32Array {
  const out = new Float32Array(labels.length * k);
  for (let i = 0; i < labels.length; i++) out[i * k + labels[i]] = 1;
  return out;
}

function synthetic(cfg: DatasetConfig): DataSplit {
  const n = cfg.trainSize + cfg.testSize;
  const pts = generate2D(cfg.kind as SyntheticKind, n, cfg.noise, deriveSeed(cfg.seed, 'data'), cfg.coordinates ?? 'playground');
  const k = pts.numClasses;
  const y = oneHot(pts.label, k);
  const nt = cfg.trainSize;
  return {
    xTrain: tf.tensor2d(pts.x.subarray(0, 2 * nt), [nt, 2]),
    yTrain: tf.tensor2d(y.subarray(0, k * nt), [nt, k]),
    xTest: tf.tensor2d(pts.x.subarray(2 * nt), [cfg.testSize, 2]),
    yTest: tf.tensor2d(y.subarray(k * nt), [cfg.testSize, k]),
    numClasses: k,
    name: cfg.kind,
  };
}

/**
 * Planted GLM (algorithms.md §1, scope 1): x ~ N(0, I_d) (standardised inputs), θ* ~ N(0, I_d)/√d·3 and
 * b* = 0, y = sigmoid(θ*ᵀx + b*) + N(0, noise²). The known θ* = [W*; b*] lets the UI plot ‖θ − θ*‖.
 */
function plantedGlm(cfg: DatasetConfig): DataSplit {
  const rng = makeRng(deriveSeed(cfg.seed, 'glm'));
  const d = GLM_DIM;
  const theta = new Float32Array(d + 1);
  for (let j = 0; j < d; j++) theta[j] = (gaussian(rng) * 3) / Math.sqrt(d);
  theta[d] = 0;
  const make = (n: number) => {
    const x = new Float32Array(n * d);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let s = theta[d];
      for (let j = 0; j < d; j++) {
        const v = gaussian(rng);
        x[i * d + j] = v;
        s += v * theta[j];
      }
      y[i] = 1 / (1 + Math.exp(-s)) + cfg.noise * gaussian(rng);
    }
    return { x: tf.tensor2d(x, [n, d]), y: tf.tensor2d(y, [n, 1]) };
  };
  const train = make(cfg.trainSize);
  const test = make(cfg.testSize);
  return { xTrain: train.x, yTrain: train.y, xTest: test.x, yTest: test.y, numClasses: 0, plantedTheta: theta, name: 'planted GLM' };
}

function imageTensors(set: ImageSet, cfg: DatasetConfig, count: number): { x: tf.Tensor2D; y: tf.Tensor2D; k: number } {
  const classes = cfg.classes.length ? cfg.classes : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const relabel = new Int32Array(10).fill(-1);
  classes.forEach((c, i) => (relabel[c] = i));
  const picked: number[] = [];
  for (let i = 0; i < set.n && picked.length < count; i++) if (relabel[set.labels[i]] >= 0) picked.push(i);
  let pixels: Uint8Array = new Uint8Array(picked.length * set.d);
  picked.forEach((src, i) => pixels.set(set.pixels.subarray(src * set.d, (src + 1) * set.d), i * set.d));
  let d = set.d;
  if (cfg.resolution === 14 && d === 784) {
    pixels = downsample2x(pixels, picked.length, 28);
    d = 196;
  }
  const x = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) x[i] = pixels[i] / 255;
  const labels = picked.map((i) => relabel[set.labels[i]]);
  return { x: tf.tensor2d(x, [picked.length, d]), y: tf.tensor2d(oneHot(labels, classes.length), [picked.length, classes.length]), k: classes.length };
}

async function images(cfg: DatasetConfig, load: BinaryLoader): Promise<DataSplit> {
  const [train, test] = await Promise.all([load(`${cfg.kind}-train.bin`), load(`${cfg.kind}-test.bin`)]);
  const tr = imageTensors(decodeImageSet(train), cfg, cfg.trainSize);
  const te = imageTensors(decodeImageSet(test), cfg, cfg.testSize);
  return { xTrain: tr.x, yTrain: tr.y, xTest: te.x, yTest: te.y, numClasses: tr.k, name: cfg.kind === 'mnist' ? 'MNIST' : 'Fashion-MNIST' };
}

function custom(cfg: DatasetConfig): DataSplit {
  const data = cfg.custom;
  if (!data) throw new Error('the custom dataset has no rows');
  const { train, test } = splitCustom(data, cfg.seed, cfg.trainSize, cfg.testSize);
  const f = data.features;
  const k = data.classes;
  const tensors = (rows: number[][]) => ({
    x: tf.tensor2d(Float32Array.from(rows.flatMap((r) => r.slice(0, f))), [rows.length, f]),
    y: tf.tensor2d(oneHot(rows.map((r) => r[f]), k), [rows.length, k]),
  });
  const tr = tensors(train);
  const te = tensors(test);
  return { xTrain: tr.x, yTrain: tr.y, xTest: te.x, yTest: te.y, numClasses: k, name: 'imported CSV' };
}

async function rawDataSplit(cfg: DatasetConfig, load: BinaryLoader): Promise<DataSplit> {
  if (cfg.kind === 'custom') return custom(cfg);
  if ((SYNTHETIC_KINDS as readonly string[]).includes(cfg.kind)) return synthetic(cfg);
  if (cfg.kind === 'glm') return plantedGlm(cfg);
  return images(cfg, load);
}

export async function buildDataSplit(cfg: DatasetConfig, load: BinaryLoader): Promise<DataSplit> {
  const raw = await rawDataSplit(cfg, load);
  return cfg.standardize ? standardizeSplit(raw) : raw;
}

export function disposeDataSplit(d: DataSplit): void {
  d.xTrain.dispose();
  d.yTrain.dispose();
  d.xTest.dispose();
  d.yTest.dispose();
}
