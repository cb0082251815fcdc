import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/log/redactor.js';

const TOKEN = '00AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';

describe('Redactor', () => {
  it.each([
    ['the whole secret', `SSWS ${TOKEN}`, 'SSWS [redacted]'],
    ['the secret twice', `${TOKEN}/${TOKEN}`, '[redacted]/[redacted]'],
    ['a message cut short inside the secret', `Authorization: SSWS ${TOKEN.slice(0, 20)}…`, 'Authorization: SSWS [redacted]…'],
    ['a message whose start was cut inside the secret', `…${TOKEN.slice(-15)} was refused`, '…[redacted] was refused'],
    ['a cut-off start that is too short to tell', `${TOKEN.slice(0, 8)}`, TOKEN.slice(0, 8)],
    ['text without a secret', 'Okta answered HTTP 400', 'Okta answered HTTP 400'],
  ])('redacts %s', (_name, text, expected) => {
    expect(new Redactor([TOKEN]).redact(text)).toBe(expected);
  });

  it('knows a secret in its JSON-escaped and URL-encoded spellings', () => {
    const secret = 'a"b\\c/d+e=f?g&h-0123456789';
    const redactor = new Redactor([secret]);
    expect(redactor.redact(JSON.stringify({ echoed: secret }))).toBe('{"echoed":"[redacted]"}');
    expect(redactor.redact(`?client_assertion=${encodeURIComponent(secret)}&x=1`)).toBe('?client_assertion=[redacted]&x=1');
  });

  it('knows each line of a multi-line secret (a PEM key quoted one line at a time)', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n-----END PRIVATE KEY-----\n';
    const redactor = new Redactor([pem]);
    expect(redactor.redact('bad key line BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj here')).toBe('bad key line [redacted] here');
    expect(redactor.redact(JSON.stringify({ pem }))).toBe('{"pem":"[redacted]"}');
    // The armour lines are not secret: they stay readable.
    expect(redactor.redact('-----BEGIN PRIVATE KEY-----')).toBe('-----BEGIN PRIVATE KEY-----');
  });

  it('learns secrets minted later with one call, and keeps two secrets that share an ending apart', () => {
    const redactor = new Redactor(['dialpad-key-0123456789abcdef']);
    const minted = 'eyJhbGciOiJSUzI1NiJ9.access-token-0123456789abcdef';
    expect(redactor.redact(minted)).not.toBe('[redacted]');
    redactor.register(minted);
    expect(redactor.redact(`Bearer ${minted} and dialpad-key-0123456789abcdef`)).toBe('Bearer [redacted] and [redacted]');
  });

  it('ignores an empty secret, and a registered value twice counts once', () => {
    const redactor = new Redactor(['', TOKEN, TOKEN]);
    expect(redactor.size).toBe(1);
    expect(redactor.redact('')).toBe('');
  });
});

describe('Redactor, secrets minted at run time', () => {
  it('keeps the latest minted values and every configured one', () => {
    const redactor = new Redactor([TOKEN]);
    const minted = Array.from({ length: 40 }, (_, i) => `access-token-${String(i).padStart(4, '0')}-abcdefghijkl`);
    for (const value of minted) redactor.register(value, { minted: true });
    expect(redactor.redact(minted[39] ?? '')).toBe('[redacted]');
    expect(redactor.redact(minted[30] ?? '')).toBe('[redacted]');
    expect(redactor.redact(TOKEN)).toBe('[redacted]');
    // An hour-old access token has expired; the list of what is looked for stays short.
    expect(redactor.size).toBeLessThan(20);
  });
});

describe('Redactor, short secrets (a test value, a mistyped one)', () => {
  const redactor = new Redactor(['y', 'x', 'wrong']);

  it.each([
    ['letters inside words', 'dry run: nobody@example.com', 'dry run: nobody@example.com'],
    ['a word that merely contains one', 'Dialpad answered: wrongly formatted', 'Dialpad answered: wrongly formatted'],
    ['a dotted or base64url token that contains one', 'eyJ.x.sig a-x_b x==', 'eyJ.x.sig a-x_b x=='],
    ['an Authorization header', 'Authorization: Bearer x', 'Authorization: Bearer [redacted]'],
    ['a JSON string', '{"apikey":"x","token":"y"}', '{"apikey":"[redacted]","token":"[redacted]"}'],
    ['a key=value pair, and at the end of a sentence', 'DIALPAD_API_KEY=x; the token was y.', 'DIALPAD_API_KEY=[redacted]; the token was [redacted].'],
    ['a URL query value', 'GET /api?apikey=x&limit=1', 'GET /api?apikey=[redacted]&limit=1'],
    ['a common word standing alone (indistinguishable from the secret)', 'it may be wrong', 'it may be [redacted]'],
  ])('%s', (_name, text, expected) => {
    expect(redactor.redact(text)).toBe(expected);
  });

  it('matches a long secret anywhere, as before, even inside a token', () => {
    expect(new Redactor([TOKEN]).redact(`prefix${TOKEN}suffix`)).toBe('prefix[redacted]suffix');
  });

  it('a short secret with characters a pattern would read specially is still matched literally', () => {
    const tricky = new Redactor(['a+b.c']);
    expect(tricky.redact('key a+b.c here, not aXb.c nor za+b.c')).toBe('key [redacted] here, not aXb.c nor za+b.c');
  });
});
