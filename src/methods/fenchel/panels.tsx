import { useStore } from '../../state/store';
import { ExtraPlot, LayerPlot, layersOf } from '../../ui/plots/ExtraPlot';

/**
 * Fenchel lifted networks' diagnostic panels (algorithms.md §4): the per-layer penalty and mismatch (one line per
 * layer (dash) and run (colour), log scale) and the lifted objective beside the forward loss. Keys from fenchel.ts.
 */
export function FenchelResidualPanel() {
  const runs = useStore((s) => s.runs);
  const has = (m: string) => layersOf(runs, m).length > 0;
  return (
    <>
      {has('B') && <LayerPlot id="res-fenchel-b" title="Fenchel penalty: mean B(U_l, X_{l+1}) per layer (0 exactly on the ReLU graph)" metric="B" yTitle="mean B" logY />}
      {has('mismatch') && <LayerPlot id="res-fenchel-mismatch" title="Fenchel mismatch ‖X_{l+1} − ReLU(U_l)‖/√(nN) per layer" metric="mismatch" yTitle="mismatch" logY />}
    </>
  );
}

export function FenchelObjectivePlot() {
  return (
    <ExtraPlot id="fenchel-objective" title="Fenchel: lifted objective vs ordinary (forward) training loss — the lifted value is a lower bound at block optima" yTitle="loss" logY hideWhenAbsent
      series={[
        { key: 'liftedObjective', name: 'lifted objective' },
        { key: 'liftedAtBlockOptimum', name: 'lifted at block optimum', dash: 'dot' },
        { key: 'forwardLoss', name: 'forward loss', dash: 'dash' },
        { key: (p) => (p.extra.blockRose === 1 ? p.extra.liftedObjective : undefined), name: 'a block rose (must not)', mode: 'markers' },
      ]} />
  );
}

export const FENCHEL_PANELS = [FenchelResidualPanel, FenchelObjectivePlot];
