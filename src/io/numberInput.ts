/** Parsing of a typed hyperparameter/number field; never throws, returns the value or the reason it is refused. */
export type NumberInput = { ok: true; value: number } | { ok: false; error: string };

export function parseNumberInput(text: string, opts: { min: number; max: number; integer?: boolean }): NumberInput {
  const trimmed = text.trim();
  // Number('') is 0 and Number('0x10') is 16: accept plain decimal / scientific notation only.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return { ok: false, error: `“${text}” is not a number` };
  const v = Number(trimmed);
  if (!Number.isFinite(v)) return { ok: false, error: `“${text}” is too large` };
  if (opts.integer && !Number.isInteger(v)) return { ok: false, error: 'must be a whole number' };
  if (v < opts.min || v > opts.max) return { ok: false, error: `must be between ${boundText(opts.min)} and ${boundText(opts.max)}` };
  return { ok: true, value: v };
}

/** A bound as a person writes it: 1e-6 rather than String(1e-6) = "0.000001", whose zeros are easy to miscount. */
function boundText(v: number): string {
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential().replace('e+', 'e') : String(v);
}
