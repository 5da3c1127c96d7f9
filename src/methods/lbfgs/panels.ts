import { negated, type PanelSpec } from '../panel';
import { LBFGS_DIAGNOSTICS as LBFGS } from './lbfgs.diagnostics';

/** L-BFGS's own iteration (diagnostics of lbfgsNetwork.ts): step size, line-search cost, pairs used, descent check. */
export const LBFGS_PANELS: PanelSpec[] = [
  {
    kind: 'series', id: 'lbfgs-internals', title: 'L-BFGS internals', formula: String.raw`\alpha,\ -g^\top d`, subtitle: 'step length (1 = the quasi-Newton step), line-search evaluations, pairs kept in memory', yTitle: 'value (log)', logY: true, hideWhenAbsent: true,
    series: [
      { source: LBFGS.alpha, name: 'α' },
      { source: LBFGS.lineSearchEvals, name: 'line-search evals', mode: 'markers' },
      { source: LBFGS.memoryUsed, name: 'pairs used', dash: 'dot' },
      { source: (p) => negated(LBFGS.dirDeriv.of(p)), name: '−gᵀd', dash: 'dash' },
    ],
  },
];
