import { BACKEND_CHOICES, DATASET_KINDS, X_AXES, type DatasetKind } from '../../engine/experiment';
import { customSplitSizes } from '../../engine/data/csv';
import { BIAS_INITS, INIT_SCHEMES, INIT_SCHEME_LABELS, type BiasInit } from '../../engine/init';
import { pauseEventsFor } from '../../methods/events';
import { useStore } from '../../state/store';

const BIAS_LABELS: Record<BiasInit, string> = { zero: 'zero', constant: 'constant', scheme: 'drawn like the weights' };
import { X_AXIS_LABELS } from '../plots/series';
import { CheckField, FieldScope, IntListField, NumberField, SelectField } from './fields';

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
          if (v === 'glm') { e.network.hidden = []; e.network.outputLink = 'sigmoid'; e.network.loss = 'mse'; }
        })} />
      <NumberField label="seed" value={d.seed} min={0} max={2 ** 31 - 1} integer onChange={(v) => update((e) => void (e.dataset.seed = v))} />
      {!image && !imported && <NumberField label="noise" value={d.noise} min={0} max={2} onChange={(v) => update((e) => void (e.dataset.noise = v))} />}
      <NumberField label={imported ? 'train size (at most)' : 'train size'} testId="train-size" value={d.trainSize} min={10} max={12000} integer onChange={(v) => update((e) => void (e.dataset.trainSize = v))} />
      <NumberField label={imported ? 'test size (at most)' : 'test size'} value={d.testSize} min={10} max={2000} integer onChange={(v) => update((e) => void (e.dataset.testSize = v))} />
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
          <SelectField label="resolution" value={String(d.resolution) as '28' | '14'} options={[{ value: '28', label: '28×28 (784 inputs)' }, { value: '14', label: '14×14 (196 inputs)' }]} onChange={(v) => update((e) => void (e.dataset.resolution = Number(v)))} />
          <IntListField label="classes (empty = all)" value={d.classes} min={0} max={9} maxLen={10} allowEmpty onChange={(v) => update((e) => void (e.dataset.classes = v))} />
          <PretrainFields />
        </>
      )}
      {d.kind !== 'glm' && (
        <CheckField label="standardise inputs" testId="standardize" value={!!d.standardize}
          help="Shift and scale every input feature by the training split's mean and standard deviation (the test split uses the same numbers)."
          onChange={(on) => update((e) => void (on ? (e.dataset.standardize = true) : delete e.dataset.standardize))} />
      )}
      {d.kind === 'moons' && (
        <SelectField label="moons coordinates" testId="moons-coordinates" value={d.coordinates ?? 'playground'}
          options={[{ value: 'playground', label: 'centred in [−1, 1]²' }, { value: 'native', label: 'native (unit half-circles)' }]}
          help="Native: the arcs in their own units, as the reference protocols draw them; noise is in the same units."
          onChange={(v) => update((e) => void (v === 'native' ? (e.dataset.coordinates = 'native') : delete e.dataset.coordinates))} />
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
            e.pretrain = { classes: [0, 1, 2, 3, 4], iterations: 400, lr: 0.001, seed: 1 };
            if (!e.dataset.classes.length) e.dataset.classes = [5, 6, 7, 8, 9];
            if (!e.network.hidden.length) e.network.hidden = [64];
          }
        })} />
      {pretrain && (
        <>
          <IntListField label="pretrain classes" value={pretrain.classes} min={0} max={9} maxLen={10} onChange={(v) => update((e) => void (e.pretrain!.classes = v))} />
          <NumberField label="pretrain iterations" value={pretrain.iterations} min={1} max={20000} integer onChange={(v) => update((e) => void (e.pretrain!.iterations = v))} />
          <NumberField label="pretrain Adam lr" value={pretrain.lr} min={1e-6} max={1} onChange={(v) => update((e) => void (e.pretrain!.lr = v))} />
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
      <IntListField label="hidden widths" testId="hidden-widths" value={n.hidden} min={1} max={512} maxLen={6} allowEmpty help="Comma-separated widths of the hidden layers; empty for a linear model." onChange={(v) => update((e) => void (e.network.hidden = v))} />
      <SelectField label="activation" value={n.activation} options={(['relu', 'tanh', 'sigmoid', 'linear'] as const).map((v) => ({ value: v, label: v }))} onChange={(v) => update((e) => void (e.network.activation = v))} />
      <SelectField label="output link" value={n.outputLink} options={(['softmax', 'sigmoid', 'identity'] as const).map((v) => ({ value: v, label: v }))} onChange={(v) => update((e) => void (e.network.outputLink = v))} />
      <SelectField label="loss" value={n.loss} options={[{ value: 'ce', label: 'cross-entropy' }, { value: 'mse', label: 'squared error' }] as const} onChange={(v) => update((e) => void (e.network.loss = v))} />
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
      <SelectField label="init scheme" testId="init-scheme" value={init.scheme} options={INIT_SCHEMES.map((v) => ({ value: v, label: INIT_SCHEME_LABELS[v] }))}
        help="How the initial weights are drawn; shared by every run of the comparison." onChange={(v) => update((e) => void (e.network.init.scheme = v))} />
      {init.scheme === 'normal' && <NumberField label="init σ" testId="init-sigma" value={init.sigma} min={1e-6} max={10} help="Standard deviation of every initial weight (before the gain)." onChange={(v) => update((e) => void (e.network.init.sigma = v))} />}
      <NumberField label="init gain" testId="init-gain" value={init.gain} min={1e-4} max={100} help="Multiplies the spread of the scheme (e.g. Glorot uniform × 0.01 for a small init, as some presets use)." onChange={(v) => update((e) => void (e.network.init.gain = v))} />
      <SelectField label="initial biases" testId="init-bias" value={init.bias} options={BIAS_INITS.map((v) => ({ value: v, label: BIAS_LABELS[v] }))} onChange={(v) => update((e) => void (e.network.init.bias = v))} />
      {init.bias === 'constant' && <NumberField label="bias value" testId="init-bias-value" value={init.biasValue} min={-10} max={10} onChange={(v) => update((e) => void (e.network.init.biasValue = v))} />}
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
      <NumberField label="batch size (0 = full)" testId="batch-size" value={t.batchSize} min={0} max={12000} integer onChange={(v) => update((e) => void (e.training.batchSize = v))} />
      <NumberField label="iterations" testId="max-iterations" value={t.maxIterations} min={1} max={1_000_000} integer onChange={(v) => update((e) => void (e.training.maxIterations = v))} />
      <NumberField label="evaluate every" value={t.evalEvery} min={1} max={10000} integer onChange={(v) => update((e) => void (e.training.evalEvery = v))} />
      <NumberField label="init & batch seed" value={t.seed} min={0} max={2 ** 31 - 1} integer help="Shared by every run: same initial weights and batch order." onChange={(v) => update((e) => void (e.training.seed = v))} />
      <SelectField label="backend" testId="backend-choice" value={t.backend} options={BACKEND_CHOICES.map((b) => ({ value: b, label: b === 'auto' ? 'auto (fastest by probe)' : b }))} onChange={(v) => update((e) => void (e.training.backend = v))} />
      <SelectField label="x axis" testId="x-axis" value={view.xAxis} options={X_AXES.map((a) => ({ value: a, label: X_AXIS_LABELS[a] }))} onChange={(v) => setView({ xAxis: v })} />
      <CheckField label="log-scale loss" testId="log-y" value={view.logY} onChange={(v) => setView({ logY: v })} />
      <NumberField label="smoothing (0–0.999)" value={view.smoothing} min={0} max={0.999} onChange={(v) => setView({ smoothing: v })} />
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
