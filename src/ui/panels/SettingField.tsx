import type { Setting } from '../../engine/settings';
import { CheckField, NumberField, SelectField } from './fields';

/**
 * The form field of one experiment setting, read from its declaration (engine/settings.ts): its label, help, bounds
 * or choices, and its id as the field's test id. `label` overrides the declared label where the context changes
 * its meaning (e.g. "train size (at most)" for an imported file); `max` narrows the declared bound where the context
 * does (an accuracy target is at most 1); `index` is the item's place when the setting belongs to each item of a
 * list (sweep axis k: test id `sweep-min-k`).
 */
export function SettingField(props: { setting: Setting; value: number | string | boolean; label?: string; max?: number; index?: number; onChange: (v: never) => void }) {
  const { setting: s, value } = props;
  const label = props.label ?? s.label;
  const testId = props.index === undefined ? s.id : `${s.id}-${props.index}`;
  const onChange = props.onChange as (v: number | string | boolean) => void;
  if (s.kind === 'boolean') return <CheckField label={label} testId={testId} help={s.help} value={value as boolean} onChange={onChange} />;
  if (s.kind === 'choice') return <SelectField label={label} testId={testId} help={s.help} value={value as string} options={s.options} onChange={onChange} />;
  if (s.options)
    return (
      <SelectField label={label} testId={testId} help={s.help} value={String(value)} options={s.options.map((o) => ({ value: String(o.value), label: o.label }))}
        onChange={(v) => onChange(Number(v))} />
    );
  const max = props.max === undefined ? s.max : Math.min(s.max, props.max);
  return <NumberField label={label} testId={testId} help={s.help} value={value as number} min={s.min} max={max} integer={s.kind === 'int'} onChange={onChange} />;
}
