import { useMemo } from 'react';
import { splitCustom } from '../engine/data/csv';
import { generate2D, type SyntheticKind } from '../engine/data/synthetic';
import { describeInit } from '../engine/init';
import { deriveSeed } from '../engine/random';
import { isPlanar } from '../engine/experiment';
import { runLabels } from '../methods/runLabels';
import { methodOf } from '../methods/registry';
import { useStore, type RunView } from '../state/store';
import { BoundaryCanvas } from './BoundaryCanvas';
import { stopDetail, stopVerdict } from '../state/verdict';
import { probePending, splitNotices } from '../state/runNotices';
import { runColor } from './plots/colors';
import { SeedSummary } from './sweeps/SeedSummary';

const fmt = (v: number | undefined, digits = 4) => (v === undefined || !Number.isFinite(v) ? '—' : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : v.toFixed(digits));

/** What the backend badge's tooltip says about where the run's backend came from. */
function backendWhy(source: RunView['backendSource']): string {
  if (source === 'before probe')
    return 'Backend "auto": this run started before the backend probe answered, so it trains on WASM, which works everywhere; runs started after the probe use its pick.';
  if (source === 'probe') return 'Backend "auto": the fastest backend that works here, by the probe.';
  return 'The backend chosen in the experiment (or the next one that works, see the notices).';
}

/**
 * The training points of 2-D data (undefined otherwise), regenerated on the main thread (cheap, seeded: identical
 * to the worker's split), for drawing over the decision boundaries.
 */
export function useTrainingPoints(): { x: Float32Array; label: Int32Array } | undefined {
  const d = useStore((s) => s.experiment.dataset);
  const twoD = isPlanar(d);
  return useMemo(() => {
    if (!twoD) return undefined;
    if (d.kind === 'custom' && d.custom) {
      const { train } = splitCustom(d.custom, d.seed, d.trainSize, d.testSize);
      return { x: Float32Array.from(train.flatMap((r) => [r[0], r[1]])), label: Int32Array.from(train.map((r) => r[2])) };
    }
    const all = generate2D(d.kind as SyntheticKind, d.trainSize + d.testSize, d.noise, deriveSeed(d.seed, 'data'), d.coordinates ?? 'playground');
    return { x: all.x.subarray(0, 2 * d.trainSize), label: all.label.subarray(0, d.trainSize) };
  }, [twoD, d.kind, d.trainSize, d.testSize, d.noise, d.seed, d.custom, d.coordinates]);
}

/** One card per run: status, backend, latest figures, messages (divergence, crash) and the decision boundary. */
export function RunCards() {
  const experiment = useStore((s) => s.experiment);
  const labels = runLabels(experiment.runs);
  const runs = useStore((s) => s.runs);
  const hidden = useStore((s) => s.hiddenRuns);
  const toggle = useStore((s) => s.toggleRunVisible);
  const restart = useStore((s) => s.restartRun);
  const setAbout = useStore((s) => s.setAbout);
  const d = experiment.dataset;
  const twoD = isPlanar(d);
  const points = useTrainingPoints();
  const probe = useStore((s) => s.probe);
  // Notices every run shares are said once, in the control bar (ControlBar); a card keeps its own.
  const ownNotices = splitNotices(runs).own;
  // The setup every run shares (algorithms.md §5: init and input scaling can flip a comparison), said on each card.
  const setup = `init ${describeInit(experiment.network.init)}${d.standardize ? ' · inputs standardised' : ''}${d.coordinates === 'native' ? ' · native moons' : ''}`;

  return (
    <div className="run-cards">
      {runs.map((r, i) => {
        const cfg = experiment.runs[i];
        if (!cfg) return null;
        const last = r.points[r.points.length - 1];
        // The method's own status line (its phase), declared in its folder.
        const phase = methodOf(cfg.algorithm)?.status?.(r.points) ?? null;
        const verdict = r.status === 'finished' ? stopVerdict(r.message, r.points) : null;
        let lastEval = undefined;
        for (let k = r.points.length - 1; k >= 0; k--) if (r.points[k].testLoss !== undefined) { lastEval = r.points[k]; break; }
        return (
          <div className={`run-card status-${r.status}${hidden[i] ? ' hidden-run' : ''}`} key={i} data-testid={`run-card-${i}`} style={{ borderColor: runColor(i) }}>
            <div className="run-card-head">
              <span className="swatch" style={{ background: runColor(i) }} />
              <strong data-testid={`run-label-${i}`}>{i + 1}. {labels[i]}</strong>
              <button className="link about-link" onClick={() => setAbout({ algorithm: cfg.algorithm, hyper: cfg.hyper, source: 'run' })} title="About this method: update rule, settings and plots, with this run's values" data-testid={`run-about-${i}`}>about</button>
              <button className="link" onClick={() => toggle(i)} title="Show or hide this run in the plots (keys 1–6)">{hidden[i] ? 'show' : 'hide'}</button>
            </div>
            <div className="run-meta">
              <span data-testid={`run-status-${i}`} className="status">{r.status}</span>
              {verdict && <span className="verdict" data-testid={`run-verdict-${i}`}>{verdict}</span>}
              {r.backend && <span className="badge" data-testid={`run-backend-${i}`} title={backendWhy(r.backendSource)}>{r.backend}</span>}
              {r.backend === 'wasm' && (r.threads ?? 1) > 1 && (
                <span className="backend-why" data-testid={`run-threads-${i}`} title="This run trains alone in a cross-origin-isolated page, so WASM uses several threads.">
                  {r.threads} threads
                </span>
              )}
              {probePending(r, probe) && (
                <span className="backend-why" data-testid={`run-backend-source-${i}`} title={backendWhy(r.backendSource)}>
                  auto · probe still running
                </span>
              )}
              <span data-testid={`run-iteration-${i}`}>it {last?.iteration ?? 0}</span>
            </div>
            <div className="run-setup" data-testid={`run-setup-${i}`}>{setup}</div>
            <table className="run-figures">
              <tbody>
                <tr><td>loss</td><td>{fmt(last?.loss)}</td></tr>
                <tr><td>test loss</td><td>{fmt(lastEval?.testLoss)}</td></tr>
                {lastEval?.testAccuracy !== undefined && <tr><td>test acc.</td><td>{fmt(lastEval.testAccuracy, 3)}</td></tr>}
                <tr><td>‖∇L‖ (full)</td><td>{fmt(lastEval?.fullGradNorm)}</td></tr>
              </tbody>
            </table>
            <SeedSummary index={i} run={cfg} />
            {experiment.pretrain && (
              <div className="run-phase" data-testid={`run-finetune-${i}`}>
                last layer only · bottom pretrained (Adam, {experiment.pretrain.iterations} it.) on classes {experiment.pretrain.classes.join(', ')}
              </div>
            )}
            {phase && <div className="run-phase" data-testid={`run-phase-${i}`}>{phase}</div>}
            {r.message && (r.status === 'diverged' || r.status === 'error') && (
              <div className="run-message error" role="alert" data-testid={`run-message-${i}`}>
                {r.status === 'diverged' ? '⚠ ' : '✖ '}
                {r.message}
                <button onClick={() => void restart(i)}>restart</button>
              </div>
            )}
            {r.message && r.status === 'finished' && <div className="run-message" data-testid={`run-message-${i}`}>{stopDetail(r.message, verdict)}</div>}
            {r.message && r.status === 'paused' && <div className="run-message" data-testid={`run-message-${i}`}>{r.message}</div>}
            {ownNotices[i]?.length > 0 && <div className="run-notice" data-testid={`run-notice-${i}`}>{ownNotices[i].join(' · ')}</div>}
            {twoD && <BoundaryCanvas grid={r.boundary} points={points} />}
          </div>
        );
      })}
    </div>
  );
}
