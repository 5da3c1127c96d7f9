/**
 * A plot's text alternative: each drawn series' latest value, as a table (what a screen reader reads instead of the
 * picture, and what anyone can copy the figures from). Built from the same figure the chart draws.
 */
interface Trace {
  name?: string;
  showlegend?: boolean;
  visible?: boolean | string;
  x?: ArrayLike<unknown>;
  y?: ArrayLike<unknown>;
}

const axisTitle = (axis: unknown): string => {
  const t = (axis as { title?: { text?: string } | string } | undefined)?.title;
  return (typeof t === 'string' ? t : t?.text) ?? '';
};

const fmt = (v: unknown): string => {
  if (typeof v !== 'number') return String(v ?? '—');
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : String(Number(v.toPrecision(4)));
};

/** The last point of a series whose value is a finite number, or null. */
export function latestPoint(t: Trace): { x: unknown; y: number } | null {
  const n = Math.min(t.x?.length ?? 0, t.y?.length ?? 0);
  for (let i = n - 1; i >= 0; i--) {
    const y = t.y![i];
    if (typeof y === 'number' && Number.isFinite(y)) return { x: t.x![i], y };
  }
  return null;
}

export function PlotDataTable({ id, title, figure }: { id: string; title: string; figure: { data: unknown[]; layout: Record<string, unknown> } }) {
  const rows = (figure.data as Trace[])
    .filter((t) => t.name && t.showlegend !== false && t.visible !== false)
    .map((t) => ({ name: t.name!, point: latestPoint(t), hidden: t.visible === 'legendonly' }));
  const x = axisTitle(figure.layout.xaxis) || 'x';
  const y = axisTitle(figure.layout.yaxis) || 'value';
  return (
    <table className="plot-data" id={`plot-data-${id}`} data-testid={`plot-data-${id}`}>
      <caption>{title}: the latest value of each series</caption>
      <thead>
        <tr>
          <th scope="col">series</th>
          <th scope="col">{x}</th>
          <th scope="col">{y}</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={3}>no data yet</td>
          </tr>
        )}
        {rows.map((r, i) => (
          <tr key={i}>
            <th scope="row">{r.name}{r.hidden ? ' (hidden)' : ''}</th>
            <td>{r.point ? fmt(r.point.x) : '—'}</td>
            <td>{r.point ? fmt(r.point.y) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
