import { describe, expect, it } from 'vitest';
import { declareDiagnostics, type ExtraOf } from './diagnostics';

describe('declared diagnostics', () => {
  const BASE = declareDiagnostics(['phase', 'alpha']);
  const D = declareDiagnostics(['swap'], ['residual'], BASE);

  it('write and read `extra` through the same declaration, per layer under layer<l>.<metric>', () => {
    const extra: ExtraOf<typeof D> = { phase: 0, swap: 1 };
    extra[D.layer.residual.key(2)] = 0.5;
    // @ts-expect-error a key the declaration does not name is a compile error
    extra.swapp = 1;
    delete (extra as Record<string, number>).swapp;
    const point = { extra: extra as Record<string, number> };
    expect(point.extra).toEqual({ phase: 0, swap: 1, 'layer2.residual': 0.5 });
    expect(D.swap.of(point)).toBe(1);
    expect(D.alpha.of(point)).toBeUndefined();
    expect(D.layer.residual.of(point, 2)).toBe(0.5);
    expect(D.phase).toBe(BASE.phase);
  });

  it('refuses a key declared twice, with its name', () => {
    expect(() => declareDiagnostics(['alpha'], [], BASE)).toThrow('diagnostic "alpha" is declared twice');
    expect(() => declareDiagnostics(['x'], ['r', 'r'])).toThrow('per-layer diagnostic "r" is declared twice');
  });
});
