import type { ImageViews } from '../../engine/imageViews';
import { inkColor } from './pixelColors';
import { PixelCanvas } from './PixelCanvas';

/**
 * The test images the network gets wrong now, in test-split order, each captioned "true → predicted" with the
 * network's confidence. A picture is a button: it shows that image's feature maps.
 */
export function MisclassifiedGrid({ views, chosen, onChoose }: { views: ImageViews; chosen: number; onChoose: (index: number) => void }) {
  const { misclassified, misclassifiedTotal, misclassifiedPixels, side, classNames } = views;
  const d = side * side;
  const probabilities = views.outputLink === 'softmax';
  return (
    <div className="image-view-body">
      <p className="image-view-note" data-testid="misclassified-count">
        {misclassifiedTotal === 0
          ? 'Every test image is classified right.'
          : misclassifiedTotal > misclassified.length
            ? `The first ${misclassified.length} of ${misclassifiedTotal} test images classified wrong.`
            : `${misclassifiedTotal} test image${misclassifiedTotal === 1 ? '' : 's'} classified wrong.`}
      </p>
      <ul className={`thumb-grid mistakes${classNames.some((n) => n.length > 2) ? ' long-names' : ''}`} data-testid="misclassified-grid">
        {misclassified.map((m, i) => (
          <li key={m.index}>
            <button type="button" className={`thumb${m.index === chosen ? ' chosen' : ''}`} aria-pressed={m.index === chosen} onClick={() => onChoose(m.index)}
              aria-label={`test image ${m.index + 1}: a ${classNames[m.trueLabel]} taken for a ${classNames[m.predicted]} with ${probabilities ? 'probability' : 'output'} ${m.confidence.toFixed(2)}; show its feature maps`}>
              <PixelCanvas values={misclassifiedPixels} offset={i * d} width={side} height={side} color={inkColor} />
              <span className="thumb-caption" aria-hidden="true">
                <span className="thumb-labels"><span>{classNames[m.trueLabel]}</span> <span>→ {classNames[m.predicted]}</span></span>
                <span className="thumb-confidence">{probabilities ? `${Math.round(100 * m.confidence)} %` : m.confidence.toFixed(2)}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
