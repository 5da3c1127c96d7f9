import type { RunConfig } from '../../engine/experiment';
import { seedCount } from '../../sweeps/jobs';
import { spread } from '../../sweeps/stats';
import { useStore } from '../../state/store';
import { finalValue, seedResults } from '../../sweeps/results';

const fmt = (v: number) => (!Number.isFinite(v) ? (v > 0 ? '∞' : '—') : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : Number(v.toPrecision(3)).toString());

/** A run card's lines for the protocol: its final figures over seeds (median and interquartile range, N) and how it was tuned. */
export function SeedSummary({ index, run }: { index: number; run: RunConfig }) {
  const experiment = useStore((s) => s.experiment);
  const results = useStore((s) => s.sweeps.results);
  const reps = seedResults(experiment, results, index);
  const loss = spread(reps.map((r) => finalValue(r, 'trainLoss')));
  const acc = spread(reps.map((r) => finalValue(r, 'testAccuracy')));
  const diverged = reps.filter((r) => r.status === 'diverged').length;
  return (
    <>
      {run.tuning && (
        <div className="run-phase tuned" data-testid={`run-tuned-${index}`}>
          tuned: {run.tuning.keys.join(', ')} over {run.tuning.trials} settings × {run.tuning.seeds} seed{run.tuning.seeds > 1 ? 's' : ''}, {Number(run.tuning.cost.toPrecision(4))} cost units
        </div>
      )}
      {seedCount(experiment) > 1 && reps.length > 0 && (
        <div className="seed-summary" data-testid={`run-seeds-${index}`}>
          over seeds (N = {reps.length}
          {reps.length < seedCount(experiment) ? ` of ${seedCount(experiment)}` : ''}): final train loss {fmt(loss.median)} [IQR {fmt(loss.q1)}–{fmt(loss.q3)}]
          {acc.n > 0 && Number.isFinite(acc.median) && (
            <>
              , test acc. {fmt(acc.median)} [{fmt(acc.q1)}–{fmt(acc.q3)}]
            </>
          )}
          {diverged > 0 && <span className="error"> · {diverged} diverged</span>}
        </div>
      )}
    </>
  );
}
