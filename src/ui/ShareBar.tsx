import { useEffect, useRef, useState } from 'react';
import QRCode from 'qrcode';
import { parseCsvDataset } from '../engine/data/csv';
import { experimentFileJson, parseExperimentFile } from '../io/experimentJson';
import { metricsCsv } from '../io/metricsCsv';
import { pytorchGapText, pytorchScript, pytorchScriptName } from '../export/pytorch/script';
import { useStore } from '../state/store';
import { figureWithTitle } from './plots/Plot';
import { slidePng, slideSvg } from './slideExport';
import { currentUrl } from './urlSync';
import { iframeSnippet } from './embed';
import { download, slug } from './download';
import { validateExperiment } from '../url/validate';

/** Export (CSV, PNG, SVG, JSON with or without weights), import (experiment JSON or a CSV dataset) and the QR code. */
export function ShareBar() {
  const [qrOpen, setQrOpen] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const notify = useStore((s) => s.notify);

  // PNG and SVG: the whole comparison as a slide (slideExport.ts), not one chart.
  const exportImage = async (format: 'png' | 'svg') => {
    const e = useStore.getState().experiment;
    if (!figureWithTitle('loss')) return notify('error', 'There is no loss plot to export yet.');
    const boundaries = Array.from(document.querySelectorAll<HTMLCanvasElement>('canvas[data-testid="boundary"]')).slice(0, e.runs.length);
    const svg = await slideSvg(e, boundaries);
    if (format === 'svg') download(`${slug(e.title)}-slide.svg`, svg, 'image/svg+xml');
    else download(`${slug(e.title)}-slide.png`, await slidePng(svg));
  };

  const exportJson = async (withWeights: boolean) => {
    const s = useStore.getState();
    const weights = withWeights ? await s.requestWeights() : undefined;
    // Distinct names per export kind: the file with weights must not overwrite (or be taken for) the one without.
    download(`${slug(s.experiment.title)}${withWeights ? '-with-weights' : ''}.json`, experimentFileJson(s.experiment, weights), 'application/json');
  };

  const onFile = async (file: File) => {
    const text = await file.text();
    const s = useStore.getState();
    if (/\.csv$/i.test(file.name)) {
      const res = parseCsvDataset(text);
      if (!res.ok) return notify('error', `${file.name} was not imported: ${res.errors.join('; ')}`);
      // The imported data joins the experiment and passes the same checks as a link carrying it (two classes in
      // the training split, a link a browser can open, …): nothing is applied unless all of it is valid.
      const draft = structuredClone(s.experiment);
      draft.dataset.kind = 'custom';
      draft.dataset.custom = res.data;
      draft.dataset.trainSize = Math.min(12000, Math.max(10, res.data.rows.length));
      draft.dataset.testSize = Math.max(10, Math.min(2000, Math.floor(res.data.rows.length / 3)));
      draft.title = `Imported ${file.name}`.slice(0, 120);
      const checked = validateExperiment(draft);
      if (!checked.ok) return notify('error', `${file.name} was not imported: ${checked.errors.join('; ')}`);
      s.setExperiment(checked.value);
      notify('info', `Imported ${res.data.rows.length} rows, ${res.data.features} features, ${res.data.classes} classes from ${file.name}${res.skippedHeader ? ' (the first line was read as a header)' : ''}.`);
      return;
    }
    const res = parseExperimentFile(text);
    if (!res.ok) return notify('error', `${file.name} was not imported: ${res.errors.join('; ')}`);
    s.setExperiment(res.value);
    notify('info', `Loaded the experiment from ${file.name}.`);
    for (const w of res.warnings) notify('info', w);
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
        onClick={() => {
          const e = useStore.getState().experiment;
          download(pytorchScriptName(e), pytorchScript(e), 'text/x-python');
          const gap = pytorchGapText(e);
          if (gap) notify('info', gap);
        }}
        data-testid="export-pytorch"
        title="A self-contained PyTorch script that reproduces every run (CPU, GPU, torchrun); run it with --help"
      >PyTorch</button>
      <span className="share-label">Import</span>
      <button onClick={() => fileRef.current?.click()} data-testid="import-button" title="An experiment JSON, or a CSV dataset: features…, integer label per line">JSON / CSV…</button>
      <input ref={fileRef} type="file" accept=".json,.csv,application/json,text/csv" hidden data-testid="import-file"
        onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void onFile(f); }} />
      <button onClick={() => setQrOpen(true)} data-testid="qr-button">QR code</button>
      <button
        onClick={async () => {
          const e = useStore.getState().experiment;
          const snippet = iframeSnippet(currentUrl(e), e.title);
          try {
            await navigator.clipboard.writeText(snippet);
            notify('info', 'Embed code copied: paste it into a slide or a course page (an iframe of this experiment, 800×450).');
          } catch {
            notify('info', `Embed code: ${snippet}`);
          }
        }}
        data-testid="copy-embed"
        title="An <iframe> of this experiment's curves and run controls, for slides (reveal.js) and course pages"
      >Embed</button>
      {qrOpen && <QrDialog onClose={() => setQrOpen(false)} />}
    </div>
  );
}

/**
 * Beyond this QR version (57 × 57 modules) a code projected on a lecture-hall screen gets too dense for phone
 * cameras at the back of the room. Every preset's link (format 3, src/url/presetLinks.ts) makes a version 4 code,
 * and a preset with a few edits stays well below this; only an imported dataset goes beyond.
 */
export const QR_SCAN_RELIABLE_VERSION = 10;

function QrDialog({ onClose }: { onClose: () => void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const experiment = useStore((s) => s.experiment);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState<number | null>(null);
  const url = currentUrl(experiment);
  useEffect(() => {
    try {
      setVersion(QRCode.create(url, { errorCorrectionLevel: 'L' }).version);
    } catch {
      setVersion(null);
    }
    if (canvas.current)
      QRCode.toCanvas(canvas.current, url, { width: 420, margin: 2, errorCorrectionLevel: 'L' }).catch((e: Error) =>
        setError(`This link is too long for a QR code (${url.length} characters): ${e.message}. Share the link itself.`),
      );
  }, [url]);
  const modules = version === null ? 0 : 17 + 4 * version;
  return (
    <div className="overlay" role="dialog" aria-label="QR code of the link" onClick={onClose} data-testid="qr-dialog">
      <div className="overlay-box qr-box" onClick={(e) => e.stopPropagation()}>
        <h2>Scan to open this experiment</h2>
        {error ? <p className="field-error">{error}</p> : <canvas ref={canvas} data-testid="qr-canvas" className="qr-canvas" />}
        {!error && version !== null && version > QR_SCAN_RELIABLE_VERSION && (
          <p className="field-error" data-testid="qr-too-dense">
            This link ({url.length} characters) makes a dense code ({modules} × {modules} modules) that phones may fail to
            scan from a distance. Share the link itself, or use fewer runs or a built-in dataset to shorten it.
          </p>
        )}
        <p className="qr-url-label">The code opens this link ({url.length} characters):</p>
        <textarea className="qr-url" readOnly value={url} rows={3} data-testid="qr-link" aria-label="the link in the QR code"
          onFocus={(e) => e.currentTarget.select()} />
        <button onClick={onClose}>close</button>
      </div>
    </div>
  );
}
