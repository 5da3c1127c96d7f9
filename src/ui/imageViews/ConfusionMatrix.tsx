import type { ConfusionMatrix as Counts } from '../../engine/imageViews';
import { confusionCellColor, css, textOn } from './pixelColors';

/**
 * The confusion matrix as a table of counts (rows: true class, columns: predicted class), each cell shaded by its
 * share of the row: blue on the diagonal, vermilion where the network confuses two classes. Being a table, it is
 * its own text alternative; the last column is each class's share recognised (its recall).
 */
export function ConfusionMatrix({ confusion, classNames, testCount }: { confusion: Counts; classNames: string[]; testCount: number }) {
  const { counts, k } = confusion;
  const rowTotals = Array.from({ length: k }, (_, r) => {
    let s = 0;
    for (let c = 0; c < k; c++) s += counts[r * k + c];
    return s;
  });
  let correct = 0;
  for (let r = 0; r < k; r++) correct += counts[r * k + r];
  // Long names (Fashion-MNIST) stand upright over their columns so that ten columns fit a phone.
  const upright = classNames.some((n) => n.length > 2);
  return (
    // Focusable: a matrix wider than a small screen scrolls sideways, and a keyboard must be able to scroll it too.
    <div className="confusion-wrap" tabIndex={0} role="region" aria-label="confusion matrix">
      <table className="confusion" data-testid="confusion-matrix" data-correct={correct}>
        <caption>
          Confusion matrix on {testCount} test images: {correct} right ({((100 * correct) / Math.max(1, testCount)).toFixed(1)} %). Rows: true class; columns: predicted class.
        </caption>
        <thead>
          <tr>
            <th scope="col" className="confusion-corner">true ╲ predicted</th>
            {classNames.map((n) => (
              <th key={n} scope="col" className={upright ? 'upright' : undefined}><span>{n}</span></th>
            ))}
            <th scope="col" className={`recall-head${upright ? ' upright' : ''}`}><span>recognised</span></th>
          </tr>
        </thead>
        <tbody>
          {classNames.map((name, r) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              {classNames.map((_, c) => {
                const n = counts[r * k + c];
                const bg = confusionCellColor(rowTotals[r] ? n / rowTotals[r] : 0, r === c);
                return (
                  <td key={c} style={{ background: css(bg), color: n ? textOn(bg) : undefined }} className={n ? undefined : 'zero'} data-testid={`confusion-${r}-${c}`}>
                    {n}
                  </td>
                );
              })}
              <td className="recall">{rowTotals[r] ? `${Math.round((100 * counts[r * k + r]) / rowTotals[r])} %` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
