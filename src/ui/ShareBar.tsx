import { useEffect, useRef, useState } from 'react';
import QRCode from 'qrcode';
import Plotly from 'plotly.js/dist/plotly-cartesian.min.js';
import { parseCsvDataset } from '../engine/data/csv';
import { experimentFileJson, parseExperimentFile } from '../io/experimentJson';
import { metricsCsv } from '../io/metricsCsv';
import { pytorchScript, pytorchScriptName } from '../export/pytorch/script';
import { useStore } from '../state/store';
import { plotElements } from './plots/Plot';
import { currentUrl } from './urlSync';

function download(name: string, content: Blob | string, type = 'text/plain'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

const slug = (t: string) => t.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'experiment';

/** Export (CSV, PNG, SVG, JSON with or without weights), import (experiment JSON or a CSV dataset) and the QR code. */
export function ShareBar() {
  const [qrOpen, setQrOpen] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const notify = useStore((s) => s.notify);

  const exportImage = async (format: 'png' | 'svg') => {
    const el = plotElements.get('loss');
    if (!el) return notify('error', 'There is no loss plot to export yet.');
    const url = await Plotly.toImage(el, { format, width: 1200, height: 700, scale: format === 'png' ? 2 : 1 });
    const blob = await (await fetch(url)).blob();
    download(`${slug(useStore.getState().experiment.title)}-loss.${format}`, blob);
  };

  const exportJson = async (withWeights: boolean) => {
    const s = useStore.getState();
    const weights = withWeights ? await s.requestWeights() : undefined;
    download(`${slug(s.experiment.title)}.json`, experimentFileJson(s.experiment, weights), 'application/json');
  };

  const onFile = async (file: File) => {
    const text = await file.text();
    const s = useStore.getState();
    if (/\.csv$/i.test(file.name)) {
      const res = parseCsvDataset(text);
      if (!res.ok) return notify('error', `${file.name} was not imported: ${res.errors.join('; ')}`);
      s.updateExperiment((d) => {
        d.dataset.kind = 'custom';
        d.dataset.custom = res.data;
        d.dataset.trainSize = Math.min(12000, res.data.rows.length);
        d.dataset.testSize = Math.max(10, Math.min(2000, Math.floor(res.data.rows.length / 3)));
        d.title = `Imported ${file.name}`;
      });
      if (useStore.getState().experiment.dataset.kind === 'custom')
        notify('info', `Imported ${res.data.rows.length} rows, ${res.data.features} features, ${res.data.classes} classes from ${file.name}.`);
      return;
    }
    const res = parseExperimentFile(text);
    if (!res.ok) return notify('error', `${file.name} was not imported: ${res.errors.join('; ')}`);
    s.setExperiment(res.value);
    notify('info', `Loaded the experiment from ${file.name}.`);
  };

  return (
    <div className="share-bar">
      <span className="share-label">Export</span>
      <button onClick={() => download(`${slug(useStore.getState().experiment.title)}-metrics.csv`, metricsCsv(useStore.getState().experiment, useStore.getState().runs), 'text/csv')} data-testid="export-csv">CSV</button>
      <button onClick={() => void exportImage('png')} data-testid="export-png">PNG</button>
      <button onClick={() => void exportImage('svg')} data-testid="export-svg">SVG</button>
      <button onClick={() => void exportJson(false)} data-testid="export-json">JSON</button>
      <button onClick={() => void exportJson(true)} data-testid="export-json-weights" title="Includes every run's current weights">JSON + weights</button>
      <button
        onClick={() => { const e = useStore.getState().experiment; download(pytorchScriptName(e), pytorchScript(e), 'text/x-python'); }}
        data-testid="export-pytorch"
        title="A self-contained PyTorch script that reproduces every run (CPU, GPU, torchrun); run it with --help"
      >PyTorch</button>
      <span className="share-label">Import</span>
      <button onClick={() => fileRef.current?.click()} data-testid="import-button" title="An experiment JSON, or a CSV dataset: features…, integer label per line">JSON / CSV…</button>
      <input ref={fileRef} type="file" accept=".json,.csv,application/json,text/csv" hidden data-testid="import-file"
        onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void onFile(f); }} />
      <button onClick={() => setQrOpen(true)} data-testid="qr-button">QR code</button>
      {qrOpen && <QrDialog onClose={() => setQrOpen(false)} />}
    </div>
  );
}

function QrDialog({ onClose }: { onClose: () => void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const experiment = useStore((s) => s.experiment);
  const [error, setError] = useState<string | null>(null);
  const url = currentUrl(experiment);
  useEffect(() => {
    if (canvas.current)
      QRCode.toCanvas(canvas.current, url, { width: 420, margin: 2, errorCorrectionLevel: 'L' }).catch((e: Error) =>
        setError(`This link is too long for a QR code (${url.length} characters): ${e.message}. Share the link itself.`),
      );
  }, [url]);
  return (
    <div className="overlay" role="dialog" aria-label="QR code of the link" onClick={onClose} data-testid="qr-dialog">
      <div className="overlay-box qr-box" onClick={(e) => e.stopPropagation()}>
        <h2>Scan to open this experiment</h2>
        {error ? <p className="field-error">{error}</p> : <canvas ref={canvas} data-testid="qr-canvas" />}
        <p className="qr-url">{url.length > 120 ? `${url.slice(0, 117)}…` : url}</p>
        <button onClick={onClose}>close</button>
      </div>
    </div>
  );
}
