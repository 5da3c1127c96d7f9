import { describeNetwork, hiddenLayers, isImageDataset, networkLayout, type Experiment } from '../../engine/experiment';
import { LAYER_TYPE_LABELS, LAYER_TYPES, LayerListError, LENET5, stageParamCount, type LayerSpec, type LayerType } from '../../engine/layers';
import { LAYER_SETTINGS as LS, NETWORK_SETTINGS as NS, type Setting } from '../../engine/settings';
import type { Activation } from '../../engine/types';
import { useStore } from '../../state/store';
import { IntListField, SelectField } from './fields';
import { SettingField } from './SettingField';

/**
 * The network's hidden layers. An MLP is edited as its list of widths (what every link made before layer lists
 * holds); "edit as a layer list" turns it into the same dense layers, to which convolutions and pooling can be
 * added. Each layer's fields come from their declarations (engine/settings.ts LAYER_SETTINGS). A list that cannot
 * be built is refused as a whole, with a notice naming the layer (nothing is half-applied).
 */
export function LayersField() {
  const n = useStore((s) => s.experiment.network);
  const image = useStore((s) => isImageDataset(s.experiment.dataset));
  const update = useStore((s) => s.updateExperiment);
  if (!n.layers) {
    return (
      <>
        <IntListField label="hidden widths" testId="hidden-widths" value={n.hidden} min={1} max={512} maxLen={6} allowEmpty
          help="Comma-separated widths of the hidden layers; empty for a linear model." onChange={(v) => update((e) => void (e.network.hidden = v))} />
        <div className="layer-actions">
          <button type="button" data-testid="edit-layer-list" onClick={() => update((e) => {
            e.network.layers = hiddenLayers(e.network);
            e.network.hidden = [];
          })}>edit as a layer list</button>
          {image && (
            <button type="button" data-testid="use-lenet5" title="conv 6@5×5 → max-pool 2 → conv 16@5×5 → max-pool 2 → flatten → 120 → 84"
              onClick={() => update((e) => {
                e.network.layers = structuredClone(LENET5) as LayerSpec[];
                e.network.hidden = [];
              })}>use LeNet-5</button>
          )}
        </div>
      </>
    );
  }
  const layers = n.layers;
  const edit = (change: (list: LayerSpec[]) => void) => update((e) => change(e.network.layers!));
  const allDense = layers.every((l) => l.type === 'dense' && !l.activation);
  return (
    <div className="layer-list" role="group" aria-label="hidden layers">
      <span className="layer-list-title">hidden layers</span>
      <ol>
        {layers.map((layer, i) => (
          <li key={i} className="layer-row" data-testid={`layer-${i}`}>
            <span className="layer-name">{LAYER_TYPE_LABELS[layer.type]}</span>
            <LayerFields layer={layer} index={i} defaultActivation={n.activation} onChange={(next) => edit((list) => void (list[i] = next))} />
            <span className="layer-buttons">
              <button type="button" aria-label={`move layer ${i + 1} up`} disabled={i === 0} onClick={() => edit((list) => void list.splice(i - 1, 0, ...list.splice(i, 1)))}>↑</button>
              <button type="button" aria-label={`move layer ${i + 1} down`} disabled={i === layers.length - 1} onClick={() => edit((list) => void list.splice(i + 1, 0, ...list.splice(i, 1)))}>↓</button>
              <button type="button" aria-label={`remove layer ${i + 1}`} data-testid={`remove-layer-${i}`} onClick={() => edit((list) => void list.splice(i, 1))}>✕</button>
            </span>
          </li>
        ))}
      </ol>
      <SelectField label="add a layer" testId="add-layer" value={'' as LayerType | ''}
        options={[{ value: '', label: 'choose…' }, ...LAYER_TYPES.map((t) => ({ value: t, label: LAYER_TYPE_LABELS[t] }))]}
        onChange={(t) => t && edit((list) => addLayer(list, t))} />
      {allDense && (
        <button type="button" data-testid="back-to-widths" onClick={() => update((e) => {
          e.network.hidden = e.network.layers!.map((l) => (l.type === 'dense' ? l.units : 0));
          delete e.network.layers;
        })}>back to hidden widths</button>
      )}
      <NetworkSummary />
    </div>
  );
}

function LayerFields({ layer, index, defaultActivation, onChange }: { layer: LayerSpec; index: number; defaultActivation: Activation; onChange: (l: LayerSpec) => void }) {
  // Each field's id gets the layer's index: two layers' fields are two fields (test ids, unapplied-edit notices).
  const field = (s: Setting, key: string, value: number | string, label?: string) => (
    <SettingField key={key} setting={{ ...s, id: `${s.id}-${index}` }} label={label} value={value} onChange={(v: never) => onChange({ ...layer, [key]: v } as LayerSpec)} />
  );
  const activation = (value: Activation | undefined) => (
    <SelectField key="activation" label="activation" testId={`layer-activation-${index}`} value={value ?? ''}
      options={[{ value: '', label: `${defaultActivation} (network)` }, ...NS.activation.options]}
      onChange={(v) => {
        const next = { ...layer } as LayerSpec & { activation?: Activation };
        if (v) next.activation = v as Activation;
        else delete next.activation;
        onChange(next);
      }} />
  );
  switch (layer.type) {
    case 'dense':
      return <span className="layer-fields">{field(LS.units, 'units', layer.units)}{activation(layer.activation)}</span>;
    case 'conv2d':
      return (
        <span className="layer-fields">
          {field(LS.filters, 'filters', layer.filters)}
          {field(LS.kernel, 'kernel', layer.kernel)}
          {field(LS.stride, 'stride', layer.stride ?? LS.stride.default)}
          {field(LS.padding, 'padding', layer.padding ?? LS.padding.default)}
          {activation(layer.activation)}
        </span>
      );
    case 'maxpool':
    case 'avgpool':
      return <span className="layer-fields">{field(LS.size, 'size', layer.size)}{field(LS.poolStride, 'stride', layer.stride ?? layer.size)}</span>;
    case 'flatten':
      return <span className="layer-fields" />;
  }
}

/**
 * A new layer where it can go: convolutions and pools at the end of the spatial block (before the flatten, which is
 * added when missing), dense layers and a flatten at the end.
 */
export function addLayer(list: LayerSpec[], type: LayerType): void {
  const flat = list.findIndex((l) => l.type === 'flatten' || l.type === 'dense');
  const spatialEnd = flat === -1 ? list.length : flat;
  switch (type) {
    case 'conv2d':
    case 'maxpool':
    case 'avgpool': {
      const layer: LayerSpec = type === 'conv2d' ? { type, filters: LS.filters.default, kernel: LS.kernel.default } : { type, size: LS.size.default };
      list.splice(spatialEnd, 0, layer);
      if (!list.some((l) => l.type === 'flatten')) list.splice(spatialEnd + 1, 0, { type: 'flatten' });
      return;
    }
    case 'flatten':
      list.push({ type: 'flatten' });
      return;
    case 'dense':
      list.push({ type: 'dense', units: LS.units.default });
  }
}

/** What the list builds: the network in words, and its parameters per layer. */
function NetworkSummary() {
  const e = useStore((s) => s.experiment);
  return <p className="field-note" data-testid="network-summary">{summary(e)}</p>;
}

function summary(e: Experiment): string {
  try {
    const { stages } = networkLayout(e);
    const params = stages.reduce((n, s) => n + stageParamCount(s), 0);
    return `${describeNetwork(e)} · ${params.toLocaleString('en')} parameters`;
  } catch (err) {
    if (err instanceof LayerListError) return err.message;
    throw err;
  }
}
