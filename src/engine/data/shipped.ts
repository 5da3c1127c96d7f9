/**
 * The compact image-dataset format written by scripts/prepare-assets.mjs and read here, in the worker and in
 * Node tests alike:
 *   bytes 0..3   magic "OPD1"
 *   bytes 4..7   uint32 LE count n
 *   bytes 8..11  uint32 LE features per sample d (e.g. 784 or 196)
 *   bytes 12..15 uint32 LE number of classes k
 *   then n labels (uint8), then n·d pixel bytes (uint8, 0..255).
 */
export interface ImageSet {
  n: number;
  d: number;
  numClasses: number;
  labels: Uint8Array;
  pixels: Uint8Array;
}

export const SHIPPED_MAGIC = 'OPD1';

export function encodeImageSet(set: ImageSet): Uint8Array {
  const out = new Uint8Array(16 + set.n + set.n * set.d);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = SHIPPED_MAGIC.charCodeAt(i);
  view.setUint32(4, set.n, true);
  view.setUint32(8, set.d, true);
  view.setUint32(12, set.numClasses, true);
  out.set(set.labels.subarray(0, set.n), 16);
  out.set(set.pixels.subarray(0, set.n * set.d), 16 + set.n);
  return out;
}

export function decodeImageSet(buf: ArrayBuffer | Uint8Array): ImageSet {
  const bytes = buf instanceof Uint8Array ? buf : new Uint8Array(buf);
  if (bytes.length < 16) throw new Error('dataset file is too short to hold a header');
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== SHIPPED_MAGIC) throw new Error(`dataset file has magic "${magic}", expected "${SHIPPED_MAGIC}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(4, true);
  const d = view.getUint32(8, true);
  const numClasses = view.getUint32(12, true);
  if (bytes.length !== 16 + n + n * d) throw new Error(`dataset file has ${bytes.length} bytes, header implies ${16 + n + n * d}`);
  const labels = bytes.subarray(16, 16 + n);
  for (let i = 0; i < n; i++) if (labels[i] >= numClasses) throw new Error(`label ${labels[i]} at sample ${i} is ≥ ${numClasses} classes`);
  return { n, d, numClasses, labels, pixels: bytes.subarray(16 + n) };
}

/** Average-pool 28×28 images to 14×14 (a reference protocol's resolution, algorithms.md §5). */
export function downsample2x(pixels: Uint8Array, n: number, side: number): Uint8Array {
  const half = side / 2;
  const out = new Uint8Array(n * half * half);
  for (let s = 0; s < n; s++) {
    const base = s * side * side;
    for (let r = 0; r < half; r++)
      for (let c = 0; c < half; c++) {
        const i = base + 2 * r * side + 2 * c;
        out[s * half * half + r * half + c] = Math.round((pixels[i] + pixels[i + 1] + pixels[i + side] + pixels[i + side + 1]) / 4);
      }
  }
  return out;
}
