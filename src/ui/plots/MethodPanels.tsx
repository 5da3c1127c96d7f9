import type { AlgorithmFamily } from '../../engine/hyper';
import { findSpec } from '../../methods/registry';
import { useStore } from '../../state/store';
import type { ComponentType } from 'react';
import { FENCHEL_PANELS } from '../../methods/fenchel/panels';
import { MDLAM_PANELS } from '../../methods/mdlam/panels';
import { LiftedActivationsPanel } from './LiftedActivationsPanel';
import { TWO_PHASE_PANELS } from '../../methods/twoPhase/panels';
import { VI_PANELS } from '../../methods/monotoneVi/panels';

/**
 * Method-specific plots (swap plot, VI field diagnostics, per-layer residuals, ...). Each family lists its
 * panels here; a panel renders when at least one run of the comparison belongs to that family.
 */
export const FAMILY_PANELS: Partial<Record<AlgorithmFamily, ComponentType[]>> = {
  'monotone-vi': VI_PANELS,
  'two-phase': TWO_PHASE_PANELS,
  mdlam: [...MDLAM_PANELS, LiftedActivationsPanel],
  fenchel: [...FENCHEL_PANELS, LiftedActivationsPanel],
};

export function MethodPanels() {
  const runs = useStore((s) => s.experiment.runs);
  const families = new Set(runs.map((r) => findSpec(r.algorithm)?.family));
  const seen = new Set<ComponentType>();
  const panels: ComponentType[] = [];
  for (const f of families) for (const P of FAMILY_PANELS[f as AlgorithmFamily] ?? []) if (!seen.has(P)) { seen.add(P); panels.push(P); }
  if (!panels.length) return null;
  return (
    <div className="plots method-panels">
      {panels.map((P, i) => (
        <P key={i} />
      ))}
    </div>
  );
}
