import { runLabel } from '../../methods/registry';
import { seedCount } from '../../sweeps/jobs';
import { timeToTarget, type EvalPoint } from '../../sweeps/stats';
import { useStore } from '../../state/store';
import { seedResults } from '../../sweeps/results';
import { runColor } from '../plots/colors';

const num = (v: number, digits = 3) => (Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : '');

/**
 * Time to target, per run: the cost and the training seconds at the first evaluation that meets the target, median
 * over the seeds (a seed that never meets it counts as never). From the pool's seed replicates when there are any;
 * with one seed, else from the live run. With N > 1 seeds the live run is one draw of N and is not shown as "N = 1"
 * beside "seeds N 5" (issue 31): the row waits for the seeds and says how many have finished.
 */
export function TargetTable() {
  const experiment = useStore((s) => s.experiment);
  const runs = useStore((s) => s.runs);
  const results = useStore((s) => s.sweeps.results);
  const target = experiment.protocol?.target;
  if (!target) return null;
  const what = target.metric === 'testAccuracy' ? `test accuracy ≥ ${target.value}` : `training loss ≤ ${target.value}`;
  const n = seedCount(experiment);
  const rows = experiment.runs.map((cfg, i) => {
    const reps = seedResults(experiment, results, i);
    let source: 'seeds' | 'live' | 'none' = 'seeds';
    let series: EvalPoint[][] = reps.map((r) => r.points);
    if (!reps.length && n > 1) {
      source = 'none';
      series = [];
    } else if (!reps.length) {
      const live = (runs[i]?.points ?? []).filter((p) => p.trainLoss !== undefined).map((p) => ({ ...p, trainLoss: p.trainLoss! }));
      source = live.length ? 'live' : 'none';
      series = live.length ? [live] : [];
    }
    return { cfg, i, source, row: series.length ? timeToTarget(series, target) : null };
  });
  return (
    <div className="target-table-wrap">
      <h3>Time to target: {what}</h3>
      <table className="target-table" data-testid="target-table">
        <thead>
          <tr>
            <th>run</th>
            <th>reached</th>
            <th>cost (median)</th>
            <th>seconds (median)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ cfg, i, source, row }) => (
            <tr key={i} data-testid={`target-row-${i}`}>
              <td>
                <span className="swatch" style={{ background: runColor(i) }} /> {i + 1}. {runLabel(cfg)}
              </td>
              {!row ? (
                <td colSpan={3} className="muted">{n > 1 ? `no finished seeds yet (N = ${n})` : 'no finished seeds yet'}</td>
              ) : (
                <>
                  <td>
                    {row.n < n ? `${row.reached} of ${row.n} finished seeds (N = ${n})` : `${row.reached} of N = ${row.n}`}
                    {source === 'live' && <span className="muted"> (live run)</span>}
                  </td>
                  {Number.isFinite(row.cost) ? (
                    <>
                      <td>{num(row.cost)}</td>
                      <td>{num(row.seconds)}</td>
                    </>
                  ) : (
                    <td colSpan={2} className="not-reached">not reached</td>
                  )}
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        Cost in the cost unit of the x-axis (gradient or block-sweep evaluations); seconds of training time (setup excluded). A median that is not reached means more than half of
        the {seedCount(experiment)} seeds never met the target within the run's budget.
      </p>
    </div>
  );
}
