import type { CSSProperties } from 'react';
import type { FilterImages } from '../../engine/imageViews';
import { divergingColor, maxAbs } from './pixelColors';
import { PixelCanvas } from './PixelCanvas';

/**
 * The first layer's weights as pictures: an MLP's hidden unit weighs every pixel (its column of W, laid out as the
 * image), a convolutional filter a kernel × kernel patch. Each picture has its own symmetric scale: white is 0, red
 * the largest positive weight, blue the largest negative one.
 */
export function FilterGrid({ filters }: { filters: FilterImages }) {
  const { kind, side, count, total, values } = filters;
  const d = side * side;
  const what = kind === 'conv' ? 'filter' : 'hidden unit';
  // A near-square arrangement (a little wider than tall, as a slot is) that the stage sizes its pictures to fill.
  const cols = Math.ceil(Math.sqrt(count * 1.3));
  const rows = Math.ceil(count / cols);
  return (
    <div className="image-view-body">
      <p className="image-view-note">
        {kind === 'conv'
          ? `The ${side}×${side} filters of the first convolutional layer`
          : `Each first-layer hidden unit's weight on every pixel`}
        {count < total ? ` (the first ${count} of ${total})` : ''}: <span className="swatch-text neg">blue</span> negative, white 0,{' '}
        <span className="swatch-text pos">red</span> positive, each picture on its own scale.
      </p>
      <ul className={`thumb-grid filters ${kind}`} data-testid="filter-grid" style={{ '--cols': cols, '--rows': rows } as CSSProperties}>
        {Array.from({ length: count }, (_, f) => {
          const scale = maxAbs(values, f * d, (f + 1) * d);
          return (
            <li key={f} className="filter">
              <PixelCanvas values={values} offset={f * d} width={side} height={side} color={(v) => divergingColor(v, scale)}
                label={`${what} ${f + 1}, largest weight magnitude ${scale.toPrecision(2)}`} />
              <span className="thumb-caption" aria-hidden="true">{f + 1}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
