import { describe, expect, it } from 'vitest';
import { fashionToOpd, mnistToOpd, parseIdx } from './datasets.mjs';
import { decodeImageSet } from '../src/engine/data/shipped';

function idx(dims, data) {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const out = new Uint8Array(header.length + data.length);
  out.set(header, 0);
  out.set(data, header.length);
  return out;
}

describe('dataset conversion (scripts/datasets.mjs)', () => {
  it('parses IDX headers and refuses a truncated file', () => {
    const f = idx([2, 2, 2], Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(parseIdx(f).dims).toEqual([2, 2, 2]);
    expect(() => parseIdx(f.subarray(0, f.length - 1))).toThrow(/header implies/);
  });

  it('converts MNIST IDX into a file the engine decodes to the same pixels and labels', () => {
    const images = idx([3, 2, 2], Uint8Array.from([0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23]));
    const labels = idx([3], Uint8Array.from([7, 0, 9]));
    const set = decodeImageSet(mnistToOpd(images, labels, 2));
    expect(set.n).toBe(2);
    expect(set.d).toBe(4);
    expect(Array.from(set.labels)).toEqual([7, 0]);
    expect(Array.from(set.pixels)).toEqual([0, 1, 2, 3, 10, 11, 12, 13]);
  });

  it('interleaves Fashion-MNIST classes and skips incomplete rows', () => {
    const row = (v) => new Array(784).fill(v);
    const classes = [[row(1), [], row(2)], [row(5), row(6)]];
    const set = decodeImageSet(fashionToOpd(classes, 0, 2));
    expect(Array.from(set.labels)).toEqual([0, 1, 0, 1]);
    expect([set.pixels[0], set.pixels[784], set.pixels[2 * 784], set.pixels[3 * 784]]).toEqual([1, 5, 2, 6]);
    expect(() => fashionToOpd(classes, 0, 3)).toThrow(/missing/);
  });
});
