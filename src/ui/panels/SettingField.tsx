import type { Setting } from '../../engine/settings';
import { CheckField, NumberField, SelectField } from './fields';

/**
 * The form field of one experiment setting, read from its declaration (engine/settings.ts): its label, help, bounds
 * or choices, and its id as the field's test id. `label` overrides the declared label where the context changes
 * its meaning (e.g. "train size (at most)" for an imported file).
 */
export function SettingField(props: { setting: Setting; value: number | string | boolean; label?: string; onChange: (v: never) => void }) {
  const { setting: s, value } = props;
  const label = props.label ?? s.label;
  const onChange = props.onChange as (v: number | string | boolean) => void;
  if (s.kind === 'boolean') return <CheckField label={label} testId={s.id} help={s.help} value={value as boolean} onChange={onChange} />;
  if (s.kind === 'choice') return <SelectField label={label} testId={s.id} help={s.help} value={value as string} options={s.options} onChange={onChange} />;
  if (s.options)
    return (
      <SelectField label={label} testId={s.id} help={s.help} value={String(value)} options={s.options.map((o) => ({ value: String(o.value), label: o.label }))}
        onChange={(v) => onChange(Number(v))} />
    );
  return <NumberField label={label} testId={s.id} help={s.help} value={value as number} min={s.min} max={s.max} integer={s.kind === 'int'} onChange={onChange} />;
}
