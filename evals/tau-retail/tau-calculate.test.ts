import { describe, expect, it } from 'vitest';
import { pyFloatRepr, pyRound2, tauCalculate } from './tau-calculate.js';

describe('tauCalculate', () => {
  it('answers like str(round(float(eval(expr)), 2))', () => {
    expect(tauCalculate('10')).toEqual({ ok: true, output: '10.0' });
    expect(tauCalculate('3131.1 + 4777.75 + 367.38')).toEqual({ ok: true, output: '8276.23' });
    expect(tauCalculate('(2 + 3) * 4 / 8')).toEqual({ ok: true, output: '2.5' });
    expect(tauCalculate('-2 ** 2')).toEqual({ ok: true, output: '-4.0' });
    expect(tauCalculate('2 ** -1')).toEqual({ ok: true, output: '0.5' });
    expect(tauCalculate('7 // 2 - .5')).toEqual({ ok: true, output: '2.5' });
    expect(tauCalculate('1 / 3')).toEqual({ ok: true, output: '0.33' });
  });

  it('refuses other characters, bad syntax and division by zero', () => {
    expect(tauCalculate('2 + x')).toEqual({ ok: false, error: 'invalid characters in expression' });
    expect(tauCalculate('2 + x', 'v2')).toEqual({ ok: false, error: 'Invalid characters in expression' });
    expect(tauCalculate('1 / 0')).toEqual({ ok: false, error: 'division by zero' });
    expect(tauCalculate('(1 + 2')).toMatchObject({ ok: false });
    expect(tauCalculate('05 + 1')).toMatchObject({ ok: false });
  });

  it('rounds half to even on the exact binary value, as Python does', () => {
    expect(pyRound2(2.675)).toBe(2.67); // 2.675 is stored just below the tie
    expect(pyRound2(0.125)).toBe(0.12);
    expect(pyRound2(0.375)).toBe(0.38);
    expect(pyFloatRepr(1e16)).toBe('1e+16');
    expect(pyFloatRepr(0.0001)).toBe('0.0001');
    expect(pyFloatRepr(0.00001)).toBe('1e-05');
  });
});
