import { negated, type PanelSpec } from '../panel';
import { CG_DIAGNOSTICS as CG } from './cg.diagnostics';

/** CG's own iteration (cg.ts, diagnostics of the network CG step): step size, β, line-search cost, descent check. */
export const CG_INTERNALS_PANEL: PanelSpec = {
  kind: 'series', id: 'cg-internals', title: 'CG internals', formula: String.raw`\alpha,\ \beta,\ -g^\top d`, subtitle: 'step length, conjugacy coefficient, line-search evaluations; −gᵀd must stay above 0 (a descent direction)', yTitle: 'value (log)', logY: true, hideWhenAbsent: true,
  series: [
    { source: CG.alpha, name: 'α' },
    { source: CG.beta, name: 'β', dash: 'dot' },
    { source: CG.lineSearchEvals, name: 'line-search evals', mode: 'markers' },
    { source: (p) => negated(CG.dirDeriv.of(p)), name: '−gᵀd', dash: 'dash' },
  ],
};
