import { useState } from 'react';
import results from '../../../bench/results/profile.json';
import { performanceProfile } from '../../sweeps/stats';
import { runColor } from '../plots/colors';
import { Plot } from '../plots/Plot';

interface ProfileFile {
  generatedBy: string;
  date: string;
  backend: string;
  target: { metric: string; value: number };
  seeds: number[];
  methods: string[];
  taus: number[];
  problems: { id: string; title: string; costs: (number | null)[]; reached: number[] }[];
}

const file = results as ProfileFile;

/**
 * Performance profile of SGD, Adam and Adam → CG over the 2-D teaching presets, from the results file written by
 * bench/profile.ts (a live version would retrain every preset for every method: too heavy for a page). The profile
 * itself is recomputed here from the file's measured costs by the same function the benchmark uses.
 */
export function ProfilePlot() {
  const costs = file.problems.map((p) => p.costs.map((c) => c ?? Infinity));
  const profile = performanceProfile(costs, file.taus);
  const [open, setOpen] = useState(false);
  const target = `${file.target.metric === 'testAccuracy' ? 'test accuracy ≥' : 'training loss ≤'} ${file.target.value}`;
  return (
    <details className="profile" data-testid="profile" onToggle={(ev) => setOpen((ev.target as HTMLDetailsElement).open)}>
      <summary>
        Performance profile over the {file.problems.length} two-dimensional presets (from {file.generatedBy}, {file.date.slice(0, 10)})
      </summary>
      {open && <Plot
        id="profile"
        title={`Share of the ${file.problems.length} 2-D presets on which each method reaches ${target} within τ × the best method's cost (median of ${file.seeds.length} seeds)`}
        revision={file.date}
        height={320}
        build={() => ({
          // Dashes and markers differ too: profiles often coincide over a range of τ.
          data: file.methods.map((m, i) => ({ type: 'scatter', mode: 'lines+markers', line: { shape: 'hv', color: runColor(i), width: 2, dash: ['solid', 'dash', 'dot'][i % 3] }, marker: { symbol: ['circle', 'square', 'diamond'][i % 3], size: 8 }, x: file.taus, y: profile[i], name: m })),
          layout: { xaxis: { title: { text: 'τ (cost relative to the best method on the problem), log scale' }, type: 'log', tickvals: file.taus, ticktext: file.taus.map(String) }, yaxis: { title: { text: 'share of problems' }, range: [0, 1.05] } },
        })}
      />}
      <table className="target-table">
        <thead>
          <tr>
            <th>preset</th>
            {file.methods.map((m) => (
              <th key={m}>{m}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {file.problems.map((p) => (
            <tr key={p.id}>
              <td>{p.title}</td>
              {p.costs.map((c, i) => (
                <td key={i} className={c === null ? 'not-reached' : undefined}>
                  {c === null ? 'not reached' : c} ({p.reached[i]}/{file.seeds.length})
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">Cost to target in the cost axis's unit, median over seeds {file.seeds.join(', ')}; in brackets, the seeds that reached it; backend {file.backend}.</p>
    </details>
  );
}
