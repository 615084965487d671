import { countryCode } from '../domain/routing/country-code.js';

/**
 * National numbers we can read with confidence: the calling code, whether a leading trunk 0 is
 * dropped, and the national significant number's length. Elsewhere only a number written with
 * its + (or 00) prefix is taken.
 */
const NATIONAL: Record<string, { code: string; trunkZero: boolean; digits: RegExp }> = {
  US: { code: '1', trunkZero: false, digits: /^[2-9]\d{2}[2-9]\d{6}$/ },
  CA: { code: '1', trunkZero: false, digits: /^[2-9]\d{2}[2-9]\d{6}$/ },
  PR: { code: '1', trunkZero: false, digits: /^(787|939)[2-9]\d{6}$/ },
  GB: { code: '44', trunkZero: true, digits: /^[1-9]\d{9}$/ },
  AU: { code: '61', trunkZero: true, digits: /^[2-478]\d{8}$/ },
  FR: { code: '33', trunkZero: true, digits: /^[1-9]\d{8}$/ },
  NL: { code: '31', trunkZero: true, digits: /^[1-9]\d{8}$/ },
};

const NANP = /^1[2-9]\d{2}[2-9]\d{6}$/;

function international(digits: string): string | null {
  if (!/^[1-9]\d{7,14}$/.test(digits)) return null;
  // +1 numbers are the one plan we check in full: a wrong length there is a typo, not a country.
  if (digits.startsWith('1') && !NANP.test(digits)) return null;
  return `+${digits}`;
}

/**
 * A stored phone number in E.164 (`+15551234567`), or null when it cannot be read with
 * confidence: empty, letters, an extension, or a national number of a country we do not know
 * the plan of. `country` (the order's shipping country, as stored) says how a number written
 * without its country code is read.
 */
export function e164Phone(raw: string | null | undefined, country?: string | null): string | null {
  if (!raw) return null;
  const text = raw.trim();
  if (!text || /[a-z]/i.test(text) || /[^\d\s()+.\-/]/.test(text)) return null;
  const plus = text.startsWith('+');
  if (text.slice(1).includes('+')) return null;
  const digits = text.replace(/\D/g, '');
  if (plus) return international(digits);
  const cc = country ? countryCode(country) : null;
  if (digits.startsWith('00')) return international(digits.slice(2));
  if (cc === 'US' || cc === 'CA' || cc === 'PR') {
    if (digits.startsWith('011')) return international(digits.slice(3));
    const national = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
    return NATIONAL[cc]!.digits.test(national) ? `+1${national}` : null;
  }
  const plan = cc ? NATIONAL[cc] : undefined;
  if (!plan) return null;
  const national = plan.trunkZero && digits.startsWith('0') ? digits.slice(1) : digits.startsWith(plan.code) && plan.digits.test(digits.slice(plan.code.length)) ? digits.slice(plan.code.length) : null;
  return national !== null && plan.digits.test(national) ? `+${plan.code}${national}` : null;
}
