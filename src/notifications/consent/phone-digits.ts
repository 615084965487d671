/** A phone number's digits as written: "+1 (555) 010-0199" → "15550100199". */
export function phoneDigits(raw: string): string {
  return raw.replace(/\D/g, '');
}

/**
 * The form two phone numbers are compared in: the E.164 digits without "+". A North American
 * number written nationally (ten digits, no "+" or "1") is taken as +1, so "(555) 010-0199" and
 * "+15550100199" are the same number; "00" is read as the international prefix. Null when there
 * are too few digits to be anyone's phone (short codes, typos).
 */
export function phoneMatchKey(raw: string): string | null {
  const written = raw.trim();
  let digits = phoneDigits(written);
  if (!written.startsWith('+')) {
    if (digits.startsWith('00')) digits = digits.slice(2);
    else if (digits.length === 10) digits = `1${digits}`;
  }
  return digits.length >= 8 && digits.length <= 15 ? digits : null;
}
