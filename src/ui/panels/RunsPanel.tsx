import { useEffect, useState } from 'react';
import { CATALOG, defaultHyper, findSpec, runDescription } from '../../methods/registry';
import { MAX_RUNS } from '../../engine/experiment';
import { runLabels } from '../../methods/runLabels';
import { useStore } from '../../state/store';
import { runColor } from '../plots/colors';
import { CheckField, FieldScope, NumberField, SelectField } from './fields';

/** The compared runs: algorithm, its hyperparameters (from the catalogue's schema), add and remove. */
export function RunsPanel() {
  const runs = useStore((s) => s.experiment.runs);
  const updateRun = useStore((s) => s.updateRun);
  const removeRun = useStore((s) => s.removeRun);
  const addRun = useStore((s) => s.addRun);
  const [toAdd, setToAdd] = useState(CATALOG[0].id);
  const labels = runLabels(runs.map((r) => ({ ...r, label: undefined })));
  return (
    <fieldset className="panel runs-panel">
      <legend>Runs ({runs.length}/{MAX_RUNS})</legend>
      {runs.map((run, i) => {
        const spec = findSpec(run.algorithm)!;
        return (
          <FieldScope name={`run ${i + 1}`} key={i}><div className="run-config" data-testid={`run-config-${i}`} style={{ borderLeftColor: runColor(i) }}>
            <div className="run-config-head">
              <SelectField label={`run ${i + 1}`} testId={`run-algorithm-${i}`} value={run.algorithm} options={CATALOG.map((c) => ({ value: c.id, label: c.label }))}
                onChange={(id) => updateRun(i, { algorithm: id, hyper: defaultHyper(findSpec(id)!) })} />
              <button className="link" disabled={runs.length <= 1} onClick={() => removeRun(i)} aria-label={`remove run ${i + 1}`}>remove</button>
            </div>
            <NameField index={i} label={run.label} automatic={labels[i]} />
            <p className="spec-description" data-testid={`run-description-${i}`}>{runDescription(run)}</p>
            {spec.hyper.map((h) => {
              const v = run.hyper[h.key];
              const set = (nv: number | string | boolean) => updateRun(i, { ...run, hyper: { ...run.hyper, [h.key]: nv } });
              if (h.kind === 'number' || h.kind === 'int')
                return <NumberField key={h.key} label={h.label} testId={`hyper-${i}-${h.key}`} value={v as number} min={h.min} max={h.max} integer={h.kind === 'int'} help={h.help} onChange={set} />;
              if (h.kind === 'choice')
                return <SelectField key={h.key} label={h.label} testId={`hyper-${i}-${h.key}`} value={v as string} options={h.options} help={h.help} onChange={set} />;
              return <CheckField key={h.key} label={h.label} testId={`hyper-${i}-${h.key}`} value={v as boolean} help={h.help} onChange={set} />;
            })}
            <small className="cost-unit">cost unit: {spec.costUnit}</small>
          </div></FieldScope>
        );
      })}
      <div className="add-run">
        <select value={toAdd} onChange={(e) => setToAdd(e.target.value)} data-testid="add-run-algorithm" aria-label="algorithm to add">
          {CATALOG.map((c) => (
            <option key={c.id} value={c.id}>{c.label}</option>
          ))}
        </select>
        <button disabled={runs.length >= MAX_RUNS} onClick={() => addRun(toAdd)} data-testid="add-run">+ add run</button>
      </div>
    </fieldset>
  );
}

/**
 * A run's name: empty shows the automatic one (the method and what differs from its other runs) as a placeholder.
 * Applied on Enter or when the field is left, without restarting the run; kept in the link.
 */
function NameField({ index, label, automatic }: { index: number; label?: string; automatic: string }) {
  const renameRun = useStore((s) => s.renameRun);
  const [text, setText] = useState(label ?? '');
  useEffect(() => setText(label ?? ''), [label]);
  const commit = () => { if (text.trim() !== (label ?? '')) renameRun(index, text); };
  return (
    <label className="field" title="Shown in the legend, on the run card and on the stage; kept in the link. Empty: the automatic name.">
      <span>name</span>
      <input type="text" value={text} maxLength={60} placeholder={automatic} data-testid={`run-name-${index}`}
        onChange={(e) => setText(e.target.value)} onBlur={commit} onKeyDown={(e) => { if (e.key === 'Enter') commit(); }} />
    </label>
  );
}
