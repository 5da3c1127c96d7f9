import type { MetricPoint } from '../workers/protocol';

/**
 * Why a finished run stopped, in words that are true (issue 15: "CG only" was called converged on the ln 10 plateau
 * at chance accuracy). From the stop message (runner.ts: the budget, or the method's own rule) and the recorded
 * full-batch gradient norms and losses:
 * - stopped by budget: the iteration or cost budget ran out, whatever the gradient;
 * - converged: the method stopped by its own rule with a small gradient — at most SMALL_GRADIENT × the largest
 *   full-batch norm seen in the run (an absolute threshold would call a flat start at a small init converged);
 * - stalled on a plateau: it stopped by its own rule with a gradient that is not small and the loss within
 *   PLATEAU_LOSS_DROP of where it started;
 * - stalled: it stopped by its own rule with a gradient that is not small, after making progress.
 */
export type StopVerdict = 'stopped by budget' | 'converged' | 'stalled on a plateau' | 'stalled';

export const SMALL_GRADIENT = 1e-3;
export const PLATEAU_LOSS_DROP = 0.05;

export function isBudgetStop(message: string | undefined): boolean {
  return !!message && (/^finished \d+ iterations/.test(message) || /^budget of /.test(message));
}

export function stopVerdict(message: string | undefined, points: readonly MetricPoint[]): StopVerdict | null {
  if (!points.length) return null;
  if (isBudgetStop(message)) return 'stopped by budget';
  let gMax = 0;
  let gLast: number | undefined;
  for (const p of points)
    if (p.fullGradNorm !== undefined && Number.isFinite(p.fullGradNorm)) {
      gMax = Math.max(gMax, p.fullGradNorm);
      gLast = p.fullGradNorm;
    }
  if (gLast !== undefined && gMax > 0 && gLast <= SMALL_GRADIENT * gMax) return 'converged';
  if (gLast === 0) return 'converged';
  const first = points[0].loss;
  const last = points[points.length - 1].loss;
  if (Number.isFinite(first) && Number.isFinite(last) && first > 0 && (first - last) / first < PLATEAU_LOSS_DROP) return 'stalled on a plateau';
  return 'stalled';
}

/** The verdict in a word or two, for the stage's run chips (the full verdict is the chip's tooltip). */
export const SHORT_VERDICT: Record<StopVerdict, string> = {
  'stopped by budget': 'budget',
  converged: 'converged',
  'stalled on a plateau': 'plateau',
  stalled: 'stalled',
};

/**
 * One verdict per run: the card shows the verdict and, as its detail, the method's own stop message — but a message
 * that claims "converged to float32 precision: …" beside the verdict "stalled on a plateau" says two contradicting
 * things (issue 31, CG alone at chance accuracy). When the verdict is not "converged", the message's claim is dropped
 * and its reason kept: "at float32 precision, the line search found no decrease …".
 */
export function stopDetail(message: string | undefined, verdict: StopVerdict | null): string | undefined {
  if (!message || verdict === 'converged') return message;
  const claim = /^converged to (\S+) precision:\s*(.+)$/s.exec(message);
  if (claim) return `at ${claim[1]} precision, ${claim[2]}`;
  return /^converged\b/i.test(message) ? message.replace(/^converged\b\s*/i, 'stopped ') : message;
}
