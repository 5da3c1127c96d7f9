import { useEffect, useState } from 'react';
import type { FeatureMapLayer, ImageViews } from '../../engine/imageViews';
import { divergingColor, inkColor, maxAbs, sequentialColor } from './pixelColors';
import { PixelCanvas } from './PixelCanvas';

/**
 * What every layer makes of one test image: a convolutional layer's output as one small picture per filter, a dense
 * hidden layer as a strip of its units, and the output layer as the class probabilities (bars with their figures,
 * the predicted class in blue and the true one marked). A layer is drawn on one scale for all its pictures, so that
 * a filter that barely responds looks pale beside one that responds strongly.
 */
export function FeatureMaps({ views, chosen, onChoose }: { views: ImageViews; chosen: number; onChoose: (index: number) => void }) {
  const { featureMaps: fm, side, classNames, testCount } = views;
  const right = fm.trueLabel === fm.predicted;
  // The typed text is the field's own until it names a test image: clearing it to type another number is allowed.
  const [text, setText] = useState(String(chosen + 1));
  useEffect(() => setText(String(chosen + 1)), [chosen]);
  return (
    <div className="image-view-body">
      <div className="image-chooser">
        <PixelCanvas values={fm.pixels} width={side} height={side} color={inkColor} className="chosen-image"
          label={`test image ${fm.index + 1}, a ${classNames[fm.trueLabel]}`} />
        <div className="image-chooser-controls">
          <div className="image-chooser-row">
            <button type="button" onClick={() => onChoose(chosen - 1)} disabled={chosen <= 0} aria-label="previous test image">‹</button>
            <label>
              test image{' '}
              <input type="number" min={1} max={testCount} value={text} data-testid="feature-image"
                onChange={(e) => {
                  setText(e.target.value);
                  const v = Number(e.target.value);
                  if (e.target.value !== '' && Number.isInteger(v) && v >= 1 && v <= testCount) onChoose(v - 1);
                }}
                onBlur={() => setText(String(chosen + 1))} />
            </label>
            <span className="image-chooser-of">of {testCount}</span>
            <button type="button" onClick={() => onChoose(chosen + 1)} disabled={chosen >= testCount - 1} aria-label="next test image">›</button>
          </div>
          <p className="image-view-note" data-testid="feature-verdict">
            A <b>{classNames[fm.trueLabel]}</b>, {right ? 'recognised' : <>taken for a <b>{classNames[fm.predicted]}</b></>}.
          </p>
        </div>
      </div>
      <ol className="feature-layers" data-testid="feature-maps">
        {fm.layers.map((layer, l) => (
          <li key={l}>
            <LayerOutput layer={layer} index={l + 1} classNames={classNames} trueLabel={fm.trueLabel} predicted={fm.predicted} probabilities={views.outputLink === 'softmax'} />
          </li>
        ))}
      </ol>
    </div>
  );
}

function LayerOutput(props: { layer: FeatureMapLayer; index: number; classNames: string[]; trueLabel: number; predicted: number; probabilities: boolean }) {
  const { layer, index, classNames, trueLabel, predicted, probabilities } = props;
  if (layer.kind === 'conv') {
    const { kernel, convH, convW, height, width, channels, values } = layer;
    const pooled = convH !== height || convW !== width;
    const signed = values.some((v) => v < 0);
    const scale = maxAbs(values);
    const color = signed ? (v: number) => divergingColor(v, scale) : (v: number) => sequentialColor(v / scale);
    return (
      <>
        <h4>
          Layer {index}, convolution {kernel}×{kernel}: {channels} feature maps of {convH}×{convW}{pooled ? `, pooled to ${height}×${width}` : ''}
        </h4>
        <ul className="thumb-grid feature-grid">
          {Array.from({ length: channels }, (_, c) => (
            <li key={c}>
              <PixelCanvas values={values} offset={c} stride={channels} width={width} height={height} color={color} label={`layer ${index}, filter ${c + 1}'s map`} />
            </li>
          ))}
        </ul>
      </>
    );
  }
  if (layer.output) {
    return (
      <>
        <h4>{probabilities ? 'Output: class probabilities' : "Output: each class's output (no softmax; bars clamped to 0…1)"}</h4>
        <table className="probability-bars" data-testid="class-probabilities">
          <caption className="sr-only">The network's {probabilities ? 'probability' : 'output'} for each class, for this image</caption>
          <tbody>
            {classNames.map((name, c) => (
              <tr key={name} className={`${c === predicted ? 'predicted' : ''}${c === trueLabel ? ' truth' : ''}`}>
                <th scope="row">{name}{c === trueLabel ? ' ✓' : ''}</th>
                <td>
                  <span className="bar-cell">
                    <span className="bar" style={{ width: `calc(${Math.min(1, Math.max(0, layer.values[c])).toFixed(3)} * (100% - 3.5em))` }} />
                    <span>{layer.values[c].toFixed(2)}</span>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    );
  }
  const { units, values } = layer;
  const active = values.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
  const signed = values.some((v) => v < 0);
  const scale = maxAbs(values);
  const color = signed ? (v: number) => divergingColor(v, scale) : (v: number) => sequentialColor(v / scale);
  return (
    <>
      <h4>Hidden layer {index}: {units} units, {active} above 0 (largest {scale.toPrecision(2)})</h4>
      <PixelCanvas values={values} width={units} height={1} color={color} className="unit-strip" label={`hidden layer ${index}: ${active} of ${units} units above 0`} />
    </>
  );
}
