import { DATASET_KINDS, type DatasetKind } from '../../engine/experiment';
import { customSplitSizes } from '../../engine/data/csv';
import { DATASET_SETTINGS as DS, INIT_SETTINGS as IS, NETWORK_OPTION_SETTINGS as NOS, NETWORK_SETTINGS as NS, PRETRAIN_SETTINGS as PS, TRAINING_SETTINGS as TS, VIEW_SETTINGS as VS } from '../../engine/settings';
import { pauseEventsFor } from '../../methods/events';
import { useStore } from '../../state/store';
import { CheckField, FieldScope, IntListField, SelectField } from './fields';
import { SettingField } from './SettingField';
import { LayersField } from './LayersField';

const DATASET_LABELS: Record<DatasetKind, string> = {
  circle: 'circle (2-D)',
  xor: 'xor (2-D)',
  blobs: 'three blobs (2-D)',
  spiral: 'two spirals (2-D)',
  moons: 'two moons (2-D)',
  glm: 'planted GLM (d = 10)',
  mnist: 'MNIST subset',
  fashion: 'Fashion-MNIST subset',
  custom: 'imported CSV',
};

export function DatasetPanel() {
  const d = useStore((s) => s.experiment.dataset);
  const update = useStore((s) => s.updateExperiment);
  const image = d.kind === 'mnist' || d.kind === 'fashion';
  const imported = d.kind === 'custom';
  return (
    <FieldScope name="dataset"><fieldset className="panel">
      <legend>Dataset</legend>
      <SelectField label="data" testId="dataset-kind" value={d.kind} options={DATASET_KINDS.filter((k) => k !== 'custom' || d.custom).map((k) => ({ value: k, label: DATASET_LABELS[k] }))}
        onChange={(v) => update((e) => {
          e.dataset.kind = v;
          if (v !== 'moons') delete e.dataset.coordinates;
          if (v === 'glm') delete e.dataset.standardize;
          if (v === 'mnist' || v === 'fashion') { e.dataset.trainSize = Math.min(Math.max(e.dataset.trainSize, 1000), 2000); e.dataset.testSize = 500; }
          if (v === 'glm') { e.network.hidden = []; delete e.network.layers; e.network.outputLink = 'sigmoid'; e.network.loss = 'mse'; }
        })} />
      <SettingField setting={DS.seed} value={d.seed} onChange={(v: number) => update((e) => void (e.dataset.seed = v))} />
      {!image && !imported && <SettingField setting={DS.noise} value={d.noise} onChange={(v: number) => update((e) => void (e.dataset.noise = v))} />}
      <SettingField setting={DS.trainSize} label={imported ? 'train size (at most)' : undefined} value={d.trainSize} onChange={(v: number) => update((e) => void (e.dataset.trainSize = v))} />
      <SettingField setting={DS.testSize} label={imported ? 'test size (at most)' : undefined} value={d.testSize} onChange={(v: number) => update((e) => void (e.dataset.testSize = v))} />
      {imported && d.custom && (
        // An imported file has its own rows: say what the split takes from it (a third at most goes to test), rather
        // than showing the sizes as if they were met.
        <p className="field-note" data-testid="custom-split">
          {(() => {
            const used = customSplitSizes(d.custom.rows.length, d.trainSize, d.testSize);
            return `the file's ${d.custom.rows.length} rows (${d.custom.features} features, ${d.custom.classes} classes): ${used.train} train, ${used.test} test, split by the seed`;
          })()}
        </p>
      )}
      {image && (
        <>
          <SettingField setting={DS.resolution} value={d.resolution} onChange={(v: number) => update((e) => void (e.dataset.resolution = v))} />
          <IntListField label="classes (empty = all)" value={d.classes} min={0} max={9} maxLen={10} allowEmpty onChange={(v) => update((e) => void (e.dataset.classes = v))} />
          <PretrainFields />
        </>
      )}
      {d.kind !== 'glm' && (
        <SettingField setting={DS.standardize} value={d.standardize ?? DS.standardize.default}
          onChange={(on: boolean) => update((e) => void (on ? (e.dataset.standardize = true) : delete e.dataset.standardize))} />
      )}
      {d.kind === 'moons' && (
        <SettingField setting={DS.coordinates} value={d.coordinates ?? DS.coordinates.default}
          onChange={(v: string) => update((e) => void (v === 'native' ? (e.dataset.coordinates = 'native') : delete e.dataset.coordinates))} />
      )}
    </fieldset></FieldScope>
  );
}

/**
 * Last-layer fine-tuning (algorithms.md §1 scope 2): pretrain the network with Adam on other classes, freeze
 * the bottom layers, and train a new output head on the dataset's classes. Every run starts from the same
 * pretrained weights.
 */
function PretrainFields() {
  const pretrain = useStore((s) => s.experiment.pretrain);
  const update = useStore((s) => s.updateExperiment);
  return (
    <>
      <CheckField label="pretrain on other classes, then fine-tune the last layer" testId="pretrain-toggle" value={!!pretrain}
        help="Adam pretrains the whole network on the classes below; the bottom layers are then frozen and only a new head trains."
        onChange={(on) => update((e) => {
          if (!on) delete e.pretrain;
          else {
            e.pretrain = { classes: [0, 1, 2, 3, 4], iterations: PS.iterations.default, lr: PS.lr.default, seed: PS.seed.default };
            if (!e.dataset.classes.length) e.dataset.classes = [5, 6, 7, 8, 9];
            if (!e.network.hidden.length && !e.network.layers?.length) e.network.hidden = [64];
          }
        })} />
      {pretrain && (
        <>
          <IntListField label="pretrain classes" value={pretrain.classes} min={0} max={9} maxLen={10} onChange={(v) => update((e) => void (e.pretrain!.classes = v))} />
          <SettingField setting={PS.iterations} value={pretrain.iterations} onChange={(v: number) => update((e) => void (e.pretrain!.iterations = v))} />
          <SettingField setting={PS.lr} value={pretrain.lr} onChange={(v: number) => update((e) => void (e.pretrain!.lr = v))} />
        </>
      )}
    </>
  );
}

export function NetworkPanel() {
  const n = useStore((s) => s.experiment.network);
  const update = useStore((s) => s.updateExperiment);
  return (
    <FieldScope name="network"><fieldset className="panel">
      <legend>Network</legend>
      <LayersField />
      <SettingField setting={NS.activation} value={n.activation} onChange={(v: typeof n.activation) => update((e) => void (e.network.activation = v))} />
      <SettingField setting={NS.outputLink} value={n.outputLink} onChange={(v: typeof n.outputLink) => update((e) => void (e.network.outputLink = v))} />
      <SettingField setting={NS.loss} value={n.loss} onChange={(v: typeof n.loss) => update((e) => void (e.network.loss = v))} />
      <SettingField setting={NOS.weightDecay} value={n.weightDecay ?? NOS.weightDecay.default}
        onChange={(v: number) => update((e) => void (v > 0 ? (e.network.weightDecay = v) : delete e.network.weightDecay))} />
      <InitFields />
    </fieldset></FieldScope>
  );
}

/** The initialisation is part of the experiment (engine/init.ts): every run of the comparison starts from this draw. */
function InitFields() {
  const init = useStore((s) => s.experiment.network.init);
  const update = useStore((s) => s.updateExperiment);
  return (
    <>
      <SettingField setting={IS.scheme} value={init.scheme} onChange={(v: typeof init.scheme) => update((e) => void (e.network.init.scheme = v))} />
      {init.scheme === 'normal' && <SettingField setting={IS.sigma} value={init.sigma} onChange={(v: number) => update((e) => void (e.network.init.sigma = v))} />}
      <SettingField setting={IS.gain} value={init.gain} onChange={(v: number) => update((e) => void (e.network.init.gain = v))} />
      <SettingField setting={IS.bias} value={init.bias} onChange={(v: typeof init.bias) => update((e) => void (e.network.init.bias = v))} />
      {init.bias === 'constant' && <SettingField setting={IS.biasValue} value={init.biasValue} onChange={(v: number) => update((e) => void (e.network.init.biasValue = v))} />}
    </>
  );
}

export function TrainingPanel() {
  const t = useStore((s) => s.experiment.training);
  const view = useStore((s) => s.experiment.view);
  const update = useStore((s) => s.updateExperiment);
  const setView = useStore((s) => s.setView);
  return (
    <FieldScope name="training"><fieldset className="panel">
      <legend>Training &amp; view</legend>
      <SettingField setting={TS.batchSize} value={t.batchSize} onChange={(v: number) => update((e) => void (e.training.batchSize = v))} />
      <SettingField setting={TS.maxIterations} value={t.maxIterations} onChange={(v: number) => update((e) => void (e.training.maxIterations = v))} />
      <SettingField setting={TS.evalEvery} value={t.evalEvery} onChange={(v: number) => update((e) => void (e.training.evalEvery = v))} />
      <SettingField setting={TS.seed} value={t.seed} onChange={(v: number) => update((e) => void (e.training.seed = v))} />
      <SettingField setting={TS.backend} value={t.backend} onChange={(v: typeof t.backend) => update((e) => void (e.training.backend = v))} />
      <SettingField setting={VS.xAxis} value={view.xAxis} onChange={(v: typeof view.xAxis) => setView({ xAxis: v })} />
      <SettingField setting={VS.logY} value={view.logY} onChange={(v: boolean) => setView({ logY: v })} />
      <SettingField setting={VS.smoothing} value={view.smoothing} onChange={(v: number) => setView({ smoothing: v })} />
      <PauseOnFields />
    </fieldset></FieldScope>
  );
}

/** Pause on an event (experiment.pauseOn, part of the link): stop all runs when one reaches the event. */
function PauseOnFields() {
  const experiment = useStore((s) => s.experiment);
  const update = useStore((s) => s.updateExperiment);
  const pauseOn = experiment.pauseOn ?? [];
  return (
    <div className="pause-on" data-testid="pause-on">
      <span className="field-label" title="Stop every run when one of them reaches the event, to talk over the frozen picture. Saved in the link.">pause all runs at</span>
      {pauseEventsFor(experiment).map((ev) => (
        <CheckField key={ev.id} label={ev.label} testId={`pause-on-${ev.id}`} value={pauseOn.includes(ev.id)}
          onChange={(on) => update((e) => {
            const next = on ? [...pauseOn, ev.id] : pauseOn.filter((id) => id !== ev.id);
            if (next.length) e.pauseOn = next;
            else delete e.pauseOn;
          })} />
      ))}
    </div>
  );
}
