import Plotly from 'plotly.js/dist/plotly-cartesian.min.js';
import { describeNetwork, type Experiment } from '../engine/experiment';
import { describeInit } from '../engine/init';
import { findSpec } from '../methods/registry';
import { formatHyper, hyperSymbol, runLabels } from '../methods/runLabels';
import { runColor } from './plots/colors';
import { figureWithTitle, plotElements } from './plots/Plot';

/**
 * The whole comparison as one 16:9 slide (issue 15, figure export): the experiment's title, the shared set-up, a
 * legend of the runs with their settings, the loss, the accuracy and the method diagnostics on screen, and on 2-D
 * data every run's decision boundary. Composed as an SVG with the charts embedded as plotly's own SVG renderings
 * (so the SVG stays vector); the PNG is that SVG drawn on a canvas at twice the size.
 */

const W = 1600;
const H = 900;
const PAD = 28;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** "γ 0.1, μ 0.9": a run's settings, every one, as on its card. */
export function settingsText(run: Experiment['runs'][number]): string {
  const spec = findSpec(run.algorithm);
  if (!spec) return '';
  return spec.hyper.map((h) => `${hyperSymbol(h)} ${formatHyper(h, run.hyper[h.key])}`).join(', ');
}

/** The set-up every run shares, in one line. */
export function setupText(e: Experiment): string {
  const d = e.dataset;
  const t = e.training;
  return [
    `${d.kind === 'custom' ? 'imported data' : d.kind} · ${d.trainSize} train / ${d.testSize} test${d.standardize ? ' · inputs standardised' : ''}`,
    `network ${describeNetwork(e)} ${e.network.activation}, init ${describeInit(e.network.init)}`,
    `batch ${t.batchSize === 0 ? 'full' : t.batchSize} · ${t.maxIterations} iterations · seed ${t.seed}`,
  ].join(' · ');
}

/** The charts the slide shows: loss and accuracy first, then the other charts on screen (the diagnostics). */
function chartIds(): string[] {
  const ids = Array.from(plotElements.keys()).filter((id) => !id.includes('landscape') && !id.startsWith('seeds-') && id !== 'sensitivity');
  const order = (id: string) => (id === 'loss' ? 0 : id === 'accuracy' ? 1 : 2);
  return ids.sort((a, b) => order(a) - order(b)).slice(0, 4);
}

async function chartSvg(id: string, width: number, height: number): Promise<string | null> {
  const fig = figureWithTitle(id);
  if (!fig) return null;
  const layout = { ...fig.layout, width, height, font: { size: 14 } };
  const url = await Plotly.toImage({ data: fig.data, layout }, { format: 'svg', width, height });
  return url;
}

export async function slideSvg(e: Experiment, boundaries: HTMLCanvasElement[]): Promise<string> {
  const labels = runLabels(e.runs);
  const parts: string[] = [];
  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  parts.push(`<text x="${PAD}" y="${PAD + 26}" font-size="32" font-weight="700" fill="#1d2330">${esc(e.title)}</text>`);
  parts.push(`<text x="${PAD}" y="${PAD + 54}" font-size="15" fill="#5b6475">${esc(setupText(e))}</text>`);
  let y = PAD + 84;
  e.runs.forEach((run, i) => {
    const col = i % 2;
    const x = PAD + col * (W / 2);
    parts.push(`<rect x="${x}" y="${y - 13}" width="26" height="6" rx="2" fill="${runColor(i)}"/>`);
    parts.push(`<text x="${x + 34}" y="${y - 5}" font-size="17" fill="#1d2330"><tspan font-weight="600">${esc(`${i + 1}. ${labels[i]}`)}</tspan>  <tspan fill="#5b6475">${esc(settingsText(run))}</tspan></text>`);
    if (col === 1 || i === e.runs.length - 1) y += 26;
  });
  const ids = chartIds();
  const bw = boundaries.length ? 150 : 0;
  const top = y + 6;
  const areaH = H - top - PAD - (bw ? bw + 30 : 0);
  const cols = ids.length <= 1 ? 1 : 2;
  const rows = Math.max(1, Math.ceil(ids.length / cols));
  const cw = Math.floor((W - 2 * PAD - (cols - 1) * 16) / cols);
  const ch = Math.floor((areaH - (rows - 1) * 12) / rows);
  for (let k = 0; k < ids.length; k++) {
    const url = await chartSvg(ids[k], cw, ch);
    if (!url) continue;
    const x = PAD + (k % cols) * (cw + 16);
    const yy = top + Math.floor(k / cols) * (ch + 12);
    parts.push(`<image x="${x}" y="${yy}" width="${cw}" height="${ch}" href="${esc(url)}"/>`);
  }
  if (bw) {
    const yb = H - PAD - bw;
    parts.push(`<text x="${PAD}" y="${yb - 10}" font-size="16" font-weight="600" fill="#1d2330">Decision boundaries</text>`);
    boundaries.forEach((c, i) => {
      const x = PAD + i * (bw + 24);
      parts.push(`<image x="${x}" y="${yb}" width="${bw}" height="${bw}" href="${c.toDataURL('image/png')}"/>`);
      parts.push(`<rect x="${x}" y="${yb}" width="${bw}" height="${bw}" fill="none" stroke="${runColor(i)}" stroke-width="3"/>`);
    });
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif">${parts.join('')}</svg>`;
}

/** The slide as a PNG (twice the SVG's size, for a projector or a paper). */
export async function slidePng(svg: string): Promise<Blob> {
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = 2 * W;
  canvas.height = 2 * H;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(2, 2);
  ctx.drawImage(img, 0, 0, W, H);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the slide could not be drawn'))), 'image/png'));
}
