import { createContext, useContext, useEffect, useId, useState, type ReactNode } from 'react';
import { parseNumberInput } from '../../io/numberInput';
import { useDrafts } from '../../state/drafts';

/** Where the fields below are ("run 1", "dataset"): the notice beside Run names a field by its scope and label. */
const FieldScopeContext = createContext<string>('');

export function FieldScope({ name, children }: { name: string; children: ReactNode }) {
  return <FieldScopeContext.Provider value={name}>{children}</FieldScopeContext.Provider>;
}

/**
 * A field's text that is not applied, reported to the drafts store (src/state/drafts.ts) while `error` is set and
 * cleared when it is applied, restored or the field unmounts; Run refuses to start meanwhile.
 */
function useDraftReport(label: string, error: string | null): void {
  const key = useId();
  const scope = useContext(FieldScopeContext);
  const where = scope ? `${scope} · ${label}` : label;
  useEffect(() => {
    if (error) useDrafts.getState().report(key, { where, error });
    else useDrafts.getState().clear(key);
  }, [key, where, error]);
  useEffect(() => () => useDrafts.getState().clear(key), [key]);
}

/**
 * After an accepted text is handed to the experiment, the experiment may still refuse it as a whole (a batch larger
 * than the training set, a network the method is not defined for: updateExperiment says why in a notice). Then the
 * value does not change, and the field must not go on showing the refused text as if it applied.
 */
const REFUSED = 'not applied: the experiment refused it (see the message above)';

/**
 * Form fields that never push an invalid value into the experiment: text is checked on every edit and on
 * blur; a bad value shows its reason under the field and the experiment keeps its last good value.
 */
export function NumberField(props: {
  label: string;
  value: number;
  min: number;
  max: number;
  integer?: boolean;
  help?: string;
  testId?: string;
  onChange: (v: number) => void;
}) {
  const { label, value, min, max, integer, help, testId, onChange } = props;
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<string | null>(null);
  const [handedOver, setHandedOver] = useState<number | null>(null);
  useDraftReport(label, error);
  useEffect(() => {
    setText(String(value));
    setError(null);
  }, [value]);
  useEffect(() => {
    if (handedOver === null) return;
    if (handedOver !== value) setError(REFUSED);
    setHandedOver(null);
  }, [handedOver, value]);
  const commit = (t: string) => {
    const parsed = parseNumberInput(t, { min, max, integer });
    if (!parsed.ok) return setError(parsed.error);
    const v = parsed.value;
    setError(null);
    if (v !== value) {
      onChange(v);
      setHandedOver(v);
    }
  };
  // Escape gives the field back its applied value (and with it, Run).
  const restore = () => {
    setText(String(value));
    setError(null);
  };
  return (
    <label className={`field${error ? ' invalid' : ''}`} title={help}>
      <span>{label}</span>
      <input
        type="text"
        inputMode="decimal"
        value={text}
        data-testid={testId}
        aria-invalid={error ? true : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={(e) => commit(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit((e.target as HTMLInputElement).value);
          else if (e.key === 'Escape') restore();
        }}
      />
      {error && <em className="field-error" role="alert">{label}: {error}</em>}
    </label>
  );
}

export function SelectField<T extends string>(props: { label: string; value: T; options: readonly { value: T; label: string }[]; testId?: string; help?: string; onChange: (v: T) => void }) {
  return (
    <label className="field" title={props.help}>
      <span>{props.label}</span>
      <select value={props.value} data-testid={props.testId} onChange={(e) => props.onChange(e.target.value as T)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function CheckField(props: { label: string; value: boolean; help?: string; testId?: string; onChange: (v: boolean) => void }) {
  return (
    <label className="field check" title={props.help}>
      <input type="checkbox" checked={props.value} data-testid={props.testId} onChange={(e) => props.onChange(e.target.checked)} />
      <span>{props.label}</span>
    </label>
  );
}

/** A comma-separated list of whole numbers, e.g. hidden layer widths "16, 16" or classes "0,1,2". */
export function IntListField(props: { label: string; value: number[]; min: number; max: number; maxLen: number; allowEmpty?: boolean; testId?: string; help?: string; onChange: (v: number[]) => void }) {
  const [text, setText] = useState(props.value.join(', '));
  const [error, setError] = useState<string | null>(null);
  const [handedOver, setHandedOver] = useState<string | null>(null);
  useDraftReport(props.label, error);
  useEffect(() => {
    setText(props.value.join(', '));
    setError(null);
  }, [props.value]);
  useEffect(() => {
    if (handedOver === null) return;
    if (handedOver !== props.value.join(',')) setError(REFUSED);
    setHandedOver(null);
  }, [handedOver, props.value]);
  const restore = () => {
    setText(props.value.join(', '));
    setError(null);
  };
  const commit = (t: string) => {
    const parts = t.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (!parts.length && !props.allowEmpty) return setError('give at least one number');
    const nums = parts.map(Number);
    if (nums.some((n) => !Number.isInteger(n))) return setError('use whole numbers separated by commas');
    if (nums.some((n) => n < props.min || n > props.max)) return setError(`each must be between ${props.min} and ${props.max}`);
    if (nums.length > props.maxLen) return setError(`at most ${props.maxLen} numbers`);
    setError(null);
    if (nums.join(',') !== props.value.join(',')) {
      props.onChange(nums);
      setHandedOver(nums.join(','));
    }
  };
  return (
    <label className={`field${error ? ' invalid' : ''}`} title={props.help}>
      <span>{props.label}</span>
      <input type="text" value={text} data-testid={props.testId} onChange={(e) => setText(e.target.value)} onBlur={(e) => commit(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit((e.target as HTMLInputElement).value);
          else if (e.key === 'Escape') restore();
        }} />
      {error && <em className="field-error" role="alert">{props.label}: {error}</em>}
    </label>
  );
}
