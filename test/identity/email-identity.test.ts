import { describe, expect, it } from 'vitest';
import { canonicalEmail, emailKey, emailLookupForms, sameEmail, sendableEmail } from '../../src/identity/email-identity.js';

describe('emailKey: one mailbox, one key', () => {
  it.each([
    ['a Unicode domain and its IDNA ASCII form', 'lena@bücher.example', 'lena@xn--bcher-kva.example'],
    ['an upper-case Unicode domain', 'lena@BÜCHER.EXAMPLE', 'lena@xn--bcher-kva.example'],
    ['case of the local part and of an ASCII domain', 'Tom.Tate@Example.COM', 'tom.tate@example.com'],
    ['a decomposed (NFD) and a composed (NFC) local part', 'Rene\u0301@example.com', 'Ren\u00e9@example.com'],
    ['a decomposed domain and its ASCII form', 'lena@bu\u0308cher.example', 'lena@xn--bcher-kva.example'],
    ['a trailing root dot in the domain', 'tom@example.com.', 'tom@example.com'],
    ['surrounding spaces', '  tom@example.com ', 'tom@example.com'],
    ['full-width letters in the domain', 'tom@ＥＸＡＭＰＬＥ.com', 'tom@example.com'],
  ])('%s are the same', (_name, a, b) => {
    expect(emailKey(a)).toBe(emailKey(b));
    expect(sameEmail(a, b)).toBe(true);
  });

  it.each([
    ['different local parts', 'tom@example.com', 'tim@example.com'],
    ['different domains', 'lena@bücher.example', 'lena@bucher.example'],
    ['a dot inside the local part (not ignored: that is a Gmail rule, not a mailbox rule)', 't.om@example.com', 'tom@example.com'],
  ])('%s differ', (_name, a, b) => {
    expect(sameEmail(a, b)).toBe(false);
  });

  it('the key of a Unicode email is the lower-cased ASCII form', () => {
    expect(emailKey('Lena@BÜCHER.example')).toBe('lena@xn--bcher-kva.example');
  });

  it('an email with no canonical form is still equal to itself (lower-cased, NFC)', () => {
    expect(emailKey('Lena@xn--zz.example')).toBe('lena@xn--zz.example');
    expect(sameEmail('Lena@xn--zz.example', 'LENA@XN--ZZ.EXAMPLE')).toBe(true);
  });
});

describe('canonicalEmail', () => {
  it('keeps the case of the local part in the ASCII form sent to look-ups', () => {
    expect(canonicalEmail('Lena@Bücher.example')).toEqual({ ok: true, key: 'lena@xn--bcher-kva.example', ascii: 'Lena@xn--bcher-kva.example' });
  });

  it.each([
    ['a bad Punycode label', 'lena@xn--zz.example', /domain "xn--zz\.example".*not a valid internationalized domain name/],
    ['an empty label', 'lena@example..com', /not a valid internationalized domain name/],
    ['two trailing dots', 'lena@example.com..', /not a valid internationalized domain name/],
    ['no @', 'lena.example.com', /not of the form local@domain/],
    ['nothing after the @', 'lena@', /not of the form local@domain/],
  ])('refuses %s, saying why', (_name, email, reason) => {
    const result = canonicalEmail(email);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('emailLookupForms', () => {
  it('a plain ASCII email is asked once, as given', () => {
    expect(emailLookupForms('Tom@Example.com')).toEqual(['Tom@Example.com']);
  });

  it('a Unicode domain is asked as given and in its ASCII form', () => {
    expect(emailLookupForms('lena@bücher.example')).toEqual(['lena@bücher.example', 'lena@xn--bcher-kva.example']);
  });

  it('an ASCII (Punycode) domain is asked as given and in its Unicode form', () => {
    expect(emailLookupForms('lena@xn--bcher-kva.example')).toEqual(['lena@xn--bcher-kva.example', 'lena@bücher.example']);
  });

  it('an email with no canonical form is asked as given', () => {
    expect(emailLookupForms('lena@xn--zz.example')).toEqual(['lena@xn--zz.example']);
  });
});

describe('sendableEmail', () => {
  it('drops the trailing root dot and composes (NFC), keeping case', () => {
    expect(sendableEmail(' Rene\u0301@Example.com. ')).toBe('Ren\u00e9@Example.com');
  });
});
