import type { PanelSpec } from '../panel';

/** L-BFGS's own iteration (keys from lbfgsNetwork.ts): step size, line-search cost, pairs used, descent check. */
export const LBFGS_PANELS: PanelSpec[] = [
  {
    kind: 'series', id: 'lbfgs-internals', title: 'L-BFGS internals', formula: String.raw`\alpha,\ -g^\top d`, subtitle: 'step length (1 = the quasi-Newton step), line-search evaluations, pairs kept in memory', yTitle: 'value (log)', logY: true, hideWhenAbsent: true,
    series: [
      { key: 'alpha', name: 'α' },
      { key: 'lineSearchEvals', name: 'line-search evals', mode: 'markers' },
      { key: 'memoryUsed', name: 'pairs used', dash: 'dot' },
      { key: (p) => (p.extra.dirDeriv !== undefined ? -p.extra.dirDeriv : undefined), name: '−gᵀd', dash: 'dash' },
    ],
  },
];
