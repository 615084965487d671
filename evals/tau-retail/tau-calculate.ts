/**
 * The benchmark's `calculate` tool: the expression is Python arithmetic (ints, floats, + - * /
 * // ** and parentheses), and the answer is `str(round(float(result), 2))`. Evaluated by a small
 * parser rather than eval, with Python's precedence and its float formatting.
 */
export type CalculateResult = { ok: true; output: string } | { ok: false; error: string };

const ALLOWED = /^[0-9+\-*/(). ]*$/;

export function tauCalculate(expression: string, version: 'v1' | 'v2' = 'v1'): CalculateResult {
  if (!ALLOWED.test(expression)) {
    return { ok: false, error: version === 'v1' ? 'invalid characters in expression' : 'Invalid characters in expression' };
  }
  try {
    return { ok: true, output: pyFloatRepr(pyRound2(evaluate(expression))) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

type Token = { kind: 'num'; value: number } | { kind: 'op'; value: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ') { i++; continue; }
    const num = /^(\d+\.\d*|\.\d+|\d+)/.exec(src.slice(i));
    if (num) {
      const text = num[1]!;
      if (/^0\d/.test(text) && !text.includes('.') && !/^0+$/.test(text)) {
        throw new Error('leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers');
      }
      tokens.push({ kind: 'num', value: Number(text) });
      i += text.length;
      continue;
    }
    const op = ['**', '//'].find((o) => src.startsWith(o, i)) ?? c;
    tokens.push({ kind: 'op', value: op });
    i += op.length;
  }
  return tokens;
}

function evaluate(src: string): number {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (v: string) => peek()?.kind === 'op' && peek()!.value === v;
  const syntax = () => new Error('invalid syntax');

  const expr = (): number => {
    let v = term();
    while (isOp('+') || isOp('-')) v = tokens[pos++]!.value === '+' ? v + term() : v - term();
    return v;
  };
  const term = (): number => {
    let v = factor();
    while (isOp('*') || isOp('/') || isOp('//')) {
      const op = tokens[pos++]!.value;
      const r = factor();
      if (op === '*') v *= r;
      else {
        if (r === 0) throw new Error(op === '/' ? 'division by zero' : 'integer division or modulo by zero');
        v = op === '/' ? v / r : Math.floor(v / r);
      }
    }
    return v;
  };
  const factor = (): number => {
    if (isOp('-')) { pos++; return -factor(); }
    if (isOp('+')) { pos++; return factor(); }
    return power();
  };
  const power = (): number => {
    const base = atom();
    if (isOp('**')) { pos++; return base ** factor(); }
    return base;
  };
  const atom = (): number => {
    const t = tokens[pos++];
    if (!t) throw syntax();
    if (t.kind === 'num') return t.value;
    if (t.value === '(') {
      const v = expr();
      if (!isOp(')')) throw syntax();
      pos++;
      return v;
    }
    throw syntax();
  };
  const v = expr();
  if (pos !== tokens.length) throw syntax();
  return v;
}

/** Python's round(x, 2): the exact binary value rounded half to even. */
export function pyRound2(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e15) return x;
  if (Number.isInteger(x * 8) && !Number.isInteger(x * 4)) {
    const lo = Math.floor(x * 100);
    return (lo % 2 === 0 ? lo : lo + 1) / 100;
  }
  return Number(x.toFixed(2));
}

/** Python's repr of a float. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let s: string;
  if (exp < -4 || exp >= 16) s = `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  else if (exp >= 0) s = digits.length <= exp + 1 ? `${digits}${'0'.repeat(exp + 1 - digits.length)}.0` : `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  else s = `0.${'0'.repeat(-exp - 1)}${digits}`;
  return (neg ? '-' : '') + s;
}
