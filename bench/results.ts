/**
 * Results files: every benchmark that measures a figure quoted to users writes it to bench/results/<name>.json,
 * checked in, and the preset texts read them through templates (src/presets/figures.ts) — so no quoted figure is a
 * literal typed into code, and each one says which seeds, commit, date and machine produced it.
 *
 * Shape (FiguresFile): provenance fields, then `figures`, a tree of numbers (or short strings) addressed by dotted
 * paths: `{{twophase.small.adamCg.loss500.median}}` reads figures.small.adamCg.loss500.median of twophase.json.
 * Use summarise() to store a per-seed list with its median, min and max.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { FigureTree, FiguresFile } from '../src/presets/figures';

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

function commitOfWorkTree(): string {
  try {
    const sha = execSync('git rev-parse HEAD', { encoding: 'utf8' }).trim();
    // the results files themselves do not count: a benchmark that writes after every section would mark itself dirty
    const dirty = execSync("git status --porcelain --untracked-files=no -- src bench ':!bench/results'", { encoding: 'utf8' }).trim();
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

export function machineDescription(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${os.platform()} ${os.arch()}, Node ${process.version}, TF.js ${tf.getBackend()}`;
}

/** A per-seed list with its median, min and max (keys: perSeed, median, min, max). */
export function summarise(values: number[]): FigureTree {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { perSeed: values, median, mean, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Writes bench/results/<name>.json and returns its path. `command` is how to regenerate it. */
export function writeResults(name: string, r: { command: string; seeds: number[]; protocol: string; figures: FigureTree }): string {
  const file: FiguresFile = {
    benchmark: name,
    command: r.command,
    protocol: r.protocol,
    seeds: r.seeds,
    commit: commitOfWorkTree(),
    date: new Date().toISOString(),
    machine: machineDescription(),
    figures: r.figures,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const out = path.join(RESULTS_DIR, `${name}.json`);
  writeFileSync(out, JSON.stringify(file, null, 1) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
  return out;
}
