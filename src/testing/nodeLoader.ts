import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BinaryLoader } from '../engine/data/build';

/** Loads public/datasets files in Node (tests, benchmarks). Run `npm run prepare-assets` first. */
export const nodeLoader: BinaryLoader = async (file) => new Uint8Array(await readFile(join(process.cwd(), 'public', 'datasets', file)));
