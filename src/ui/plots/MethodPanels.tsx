import type { AlgorithmFamily } from '../../engine/hyper';
import { findSpec } from '../../methods/registry';
import { useStore } from '../../state/store';
import type { ComponentType, ReactNode } from 'react';
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

/** The method panels of the comparison's runs, each once, in run order (the stage shows one at a time). */
export function useMethodPanelList(): { id: string; element: ReactNode }[] {
  const runs = useStore((s) => s.experiment.runs);
  const families = new Set(runs.map((r) => findSpec(r.algorithm)?.family));
  const seen = new Set<ComponentType>();
  const panels: { id: string; element: ReactNode }[] = [];
  for (const f of families)
    (FAMILY_PANELS[f as AlgorithmFamily] ?? []).forEach((P, k) => {
      if (seen.has(P)) return;
      seen.add(P);
      panels.push({ id: `${f}-${k}`, element: <P key={`${f}-${k}`} /> });
    });
  return panels;
}

export function MethodPanels() {
  const panels = useMethodPanelList();
  if (!panels.length) return null;
  return <div className="plots method-panels">{panels.map((p) => p.element)}</div>;
}
