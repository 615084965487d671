import { describe, expect, it } from 'vitest';
import { computeTwilioSignature, urlPortVariants, verifyTwilioSignature } from './twilio-signature.js';

// The worked example in Twilio's webhook security documentation (twilio.com/docs/usage/security).
const TOKEN = '12345';
const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};
const SIGNATURE = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

describe('Twilio request signatures', () => {
  it("reproduces the documented example's signature", () => {
    expect(computeTwilioSignature(TOKEN, URL, PARAMS)).toBe(SIGNATURE);
    expect(verifyTwilioSignature(TOKEN, SIGNATURE, URL, PARAMS)).toBe(true);
  });

  it('does not depend on the order the parameters arrived in', () => {
    const shuffled = [['To', '+18005551212'], ['Digits', '1234'], ['CallSid', 'CA1234567890ABCDE'], ['From', '+14158675309'], ['Caller', '+14158675309']] as const;
    expect(verifyTwilioSignature(TOKEN, SIGNATURE, URL, shuffled)).toBe(true);
  });

  it('refuses any change to the token, the URL, a parameter or the signature', () => {
    expect(verifyTwilioSignature('12346', SIGNATURE, URL, PARAMS)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, SIGNATURE, 'https://mycompany.com/myapp.php?foo=1&bar=3', PARAMS)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, SIGNATURE, 'http://mycompany.com/myapp.php?foo=1&bar=2', PARAMS)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, SIGNATURE, URL, { ...PARAMS, Digits: '1235' })).toBe(false);
    expect(verifyTwilioSignature(TOKEN, SIGNATURE, URL, { ...PARAMS, Extra: '' })).toBe(false);
    const { Digits: _dropped, ...withoutDigits } = PARAMS;
    expect(verifyTwilioSignature(TOKEN, SIGNATURE, URL, withoutDigits)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, 'RSOYDt4T1cUTdK1PDd93/VVr8B8', URL, PARAMS)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, SIGNATURE.toLowerCase(), URL, PARAMS)).toBe(false);
  });

  it('refuses a missing or empty signature, and any signature when no token is set', () => {
    expect(verifyTwilioSignature(TOKEN, undefined, URL, PARAMS)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, '', URL, PARAMS)).toBe(false);
    expect(verifyTwilioSignature('', computeTwilioSignature('', URL, PARAMS), URL, PARAMS)).toBe(false);
  });

  it("accepts the URL with or without the scheme's standard port, and no other port", () => {
    const signedWithPort = computeTwilioSignature(TOKEN, 'https://mycompany.com:443/myapp.php?foo=1&bar=2', PARAMS);
    expect(verifyTwilioSignature(TOKEN, signedWithPort, URL, PARAMS)).toBe(true);
    expect(verifyTwilioSignature(TOKEN, SIGNATURE, 'https://mycompany.com:443/myapp.php?foo=1&bar=2', PARAMS)).toBe(true);
    expect(verifyTwilioSignature(TOKEN, SIGNATURE, 'https://mycompany.com:8443/myapp.php?foo=1&bar=2', PARAMS)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, SIGNATURE, 'https://mycompany.com:80/myapp.php?foo=1&bar=2', PARAMS)).toBe(false);
  });

  it('adds or removes only the standard port and leaves the rest of the URL as written', () => {
    expect(urlPortVariants('https://a.example/x?q=%27')).toEqual(['https://a.example/x?q=%27', 'https://a.example:443/x?q=%27']);
    expect(urlPortVariants('http://a.example:80/x')).toEqual(['http://a.example:80/x', 'http://a.example/x']);
    expect(urlPortVariants('https://user:pw@a.example/x')).toEqual(['https://user:pw@a.example/x', 'https://user:pw@a.example:443/x']);
    expect(urlPortVariants('http://[::1]:80/x')).toEqual(['http://[::1]:80/x', 'http://[::1]/x']);
    expect(urlPortVariants('http://127.0.0.1:3000/x')).toEqual(['http://127.0.0.1:3000/x']);
  });
});
