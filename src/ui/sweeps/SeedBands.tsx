import { seedCount } from '../../sweeps/jobs';
import { useStore } from '../../state/store';
import { seedResults } from '../../sweeps/results';
import { SeedBandPlot } from './SeedBandPlot';

/**
 * The bands over seeds, right under the live curves: shown once any seed has finished, and — when the experiment asks
 * for several seeds, whose point is the bands — as a placeholder before that, saying where they will appear and how
 * many seeds have finished (▶ Run starts them, src/state/sweepsSlice.ts runComparison).
 */
export function SeedBands() {
  const e = useStore((s) => s.experiment);
  const results = useStore((s) => s.sweeps.results);
  const activity = useStore((s) => s.sweeps.activity);
  const n = seedCount(e);
  const finished = e.runs.map((_, i) => seedResults(e, results, i).length);
  const anySeeds = finished.some((k) => k > 0);
  if (!anySeeds && n <= 1) return null;
  const classification = e.dataset.kind !== 'glm';
  const done = finished.reduce((a, b) => a + b, 0);
  const total = n * e.runs.length;
  return (
    <section className="seed-bands" data-testid="seed-bands">
      {done < total && n > 1 && (
        <p className="muted small" data-testid="seed-bands-status">
          Median and interquartile band over {n} seeds of every run: {done} of {total} seed runs finished
          {activity === 'seeds' ? ' (training on the worker pool)' : done === 0 ? ' — ▶ Run trains them' : ''}.
        </p>
      )}
      {anySeeds && (
        <div className="plots">
          <SeedBandPlot metric="trainLoss" />
          {classification && <SeedBandPlot metric="testAccuracy" />}
        </div>
      )}
    </section>
  );
}
