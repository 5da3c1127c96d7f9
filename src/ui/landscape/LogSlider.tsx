import { markInput } from './inputClock';

/** A log-scale slider for scrub mode: every input event marks the input clock and applies the value at once. */
export function LogSlider(props: { label: string; value: number; min: number; max: number; testId?: string; digits?: number; onInput: (v: number) => void; onCommit?: () => void }) {
  const { value, min, max } = props;
  const lo = Math.log10(min), hi = Math.log10(max);
  const pos = Math.round(((Math.log10(Math.min(max, Math.max(min, value))) - lo) / (hi - lo)) * 1000);
  return (
    <label className="field slider">
      <span>{props.label} <b>{value.toPrecision(props.digits ?? 3)}</b></span>
      <input
        type="range"
        min={0}
        max={1000}
        step={1}
        value={pos}
        data-testid={props.testId}
        onInput={(e) => {
          markInput();
          const v = 10 ** (lo + ((hi - lo) * Number((e.target as HTMLInputElement).value)) / 1000);
          props.onInput(Number(v.toPrecision(4)));
        }}
        onChange={() => {}}
        onPointerUp={props.onCommit}
        onKeyUp={props.onCommit}
      />
    </label>
  );
}

export function LinSlider(props: { label: string; value: number; min: number; max: number; step: number; testId?: string; onInput: (v: number) => void; onCommit?: () => void }) {
  return (
    <label className="field slider">
      <span>{props.label} <b>{props.value}</b></span>
      <input
        type="range"
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        data-testid={props.testId}
        onInput={(e) => {
          markInput();
          props.onInput(Number((e.target as HTMLInputElement).value));
        }}
        onChange={() => {}}
        onPointerUp={props.onCommit}
        onKeyUp={props.onCommit}
      />
    </label>
  );
}
