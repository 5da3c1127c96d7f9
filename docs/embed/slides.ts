import Reveal from 'reveal.js';
import 'reveal.js/reveal.css';
import 'reveal.js/theme/white.css';
import { findPreset } from '../../src/presets';
import { encodeExperiment } from '../../src/url/codec';

/**
 * The demo deck's script: every iframe with data-preset gets that preset's embed link (the app is served beside this
 * page, at ../../index.html), exactly as the app's "Embed" button would write it; then reveal.js starts.
 */
for (const frame of document.querySelectorAll<HTMLIFrameElement>('iframe[data-preset]')) {
  const preset = findPreset(frame.dataset.preset ?? '');
  if (!preset) throw new Error(`demo deck: no preset "${frame.dataset.preset}"`);
  frame.src = `../../index.html#${encodeExperiment(preset.experiment)}&embed=1`;
}
void new Reveal({ hash: true, width: 960, height: 700, margin: 0.04 }).initialize();
