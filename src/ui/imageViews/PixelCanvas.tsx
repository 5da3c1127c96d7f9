import { useEffect, useRef } from 'react';
import type { Rgb } from './pixelColors';

/**
 * A small picture (an image, a filter, a feature map) drawn one canvas pixel per value and scaled up by CSS with
 * sharp pixels: 28 × 28 values stay 28 × 28 canvas pixels however large the page shows them.
 */
export function PixelCanvas(props: {
  values: Float32Array;
  /** Where the picture starts in `values` (pictures of a grid share one array). */
  offset?: number;
  width: number;
  height: number;
  color: (v: number) => Rgb;
  /** Values between two pixels of the same picture, e.g. the channel count of an NHWC feature map. */
  stride?: number;
  className?: string;
  /** Without a label the picture is decoration (its caption or its button says what it is). */
  label?: string;
}) {
  const { values, offset = 0, width, height, color, stride = 1, className, label } = props;
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(width, height);
    for (let p = 0; p < width * height; p++) {
      const [r, g, b] = color(values[offset + p * stride]);
      img.data[4 * p] = r;
      img.data[4 * p + 1] = g;
      img.data[4 * p + 2] = b;
      img.data[4 * p + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [values, offset, width, height, color, stride]);
  return (
    <canvas ref={ref} width={width} height={height} className={`pixel-canvas${className ? ` ${className}` : ''}`}
      {...(label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': true })} />
  );
}
