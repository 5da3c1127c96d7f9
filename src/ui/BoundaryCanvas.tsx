import { useEffect, useRef } from 'react';
import type { BoundaryGrid } from '../engine/types';
import { CLASS_COLORS } from './plots/colors';

/** Decision regions of one run on 2-D data, drawn pixel by pixel (cheaper than a plotly heatmap per run). */
export function BoundaryCanvas({ grid, points, size = 180 }: { grid?: BoundaryGrid; points?: { x: Float32Array; label: Int32Array }; size?: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    // Before the first boundary arrives (before Run), the data alone, on the extent of the points.
    const extent = grid ?? (points ? pointsExtent(points.x) : null);
    if (!extent) return;
    if (grid) {
      const img = ctx.createImageData(grid.size, grid.size);
      for (let r = 0; r < grid.size; r++)
        for (let c = 0; c < grid.size; c++) {
          const src = r * grid.size + c;
          const dst = ((grid.size - 1 - r) * grid.size + c) * 4; // y grows upwards
          const [cr, cg, cb] = CLASS_COLORS[grid.classes[src] % CLASS_COLORS.length];
          const a = Math.max(0, Math.min(1, (grid.confidence[src] - 0.5) * 2));
          const w = 0.25 + 0.5 * a;
          img.data[dst] = 255 - (255 - cr) * w;
          img.data[dst + 1] = 255 - (255 - cg) * w;
          img.data[dst + 2] = 255 - (255 - cb) * w;
          img.data[dst + 3] = 255;
        }
      const off = new OffscreenCanvas(grid.size, grid.size);
      off.getContext('2d')!.putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(off, 0, 0, canvas.width, canvas.height);
    } else {
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
    }
    if (points) {
      for (let i = 0; i < points.label.length; i++) {
        const px = ((points.x[2 * i] - extent.xMin) / (extent.xMax - extent.xMin)) * canvas.width;
        const py = (1 - (points.x[2 * i + 1] - extent.yMin) / (extent.yMax - extent.yMin)) * canvas.height;
        const [cr, cg, cb] = CLASS_COLORS[points.label[i] % CLASS_COLORS.length];
        ctx.fillStyle = `rgb(${cr},${cg},${cb})`;
        ctx.strokeStyle = 'white';
        ctx.beginPath();
        ctx.arc(px, py, 2.5, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
      }
    }
  }, [grid, points]);
  return <canvas ref={ref} width={size} height={size} className="boundary" data-testid="boundary" aria-label="decision boundary" />;
}

/** The points' bounding box with a 10 % margin (the worker's boundary grid pads the data similarly). */
function pointsExtent(x: Float32Array): { xMin: number; xMax: number; yMin: number; yMax: number } | null {
  if (x.length < 2) return null;
  let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
  for (let i = 0; i + 1 < x.length; i += 2) {
    xMin = Math.min(xMin, x[i]); xMax = Math.max(xMax, x[i]);
    yMin = Math.min(yMin, x[i + 1]); yMax = Math.max(yMax, x[i + 1]);
  }
  const px = 0.1 * (xMax - xMin || 1), py = 0.1 * (yMax - yMin || 1);
  return { xMin: xMin - px, xMax: xMax + px, yMin: yMin - py, yMax: yMax + py };
}
