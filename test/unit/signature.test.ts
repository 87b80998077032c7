// The request signature of ingest tokens: a vector computed by hand with openssl, the header's
// forms, the 5-minute window either way, and tampering.
import { describe, expect, it } from 'vitest';
import {
  checkSignatureHeader,
  newSigningSecret,
  parseSignatureHeader,
  SignatureStream,
  signatureHeader,
  signBody,
  verifySignature,
} from '../../api/auth/signature';

const SECRET = 'pwsig_test';
const T = 1796558400;
const BODY = '{"external_id":"t1","name":"Support"}';
// printf '%s' '1796558400.{"external_id":"t1","name":"Support"}' | openssl dgst -sha256 -hmac 'pwsig_test'
const HEX = '18981c21e4dc28f47ea9b2d3eb7b84659812ba84d88e268378c6f8e03f0ff68e';

describe('signature', () => {
  it('matches a vector computed with openssl', () => {
    expect(signBody(SECRET, T, BODY)).toBe(HEX);
    expect(signBody(SECRET, T, new TextEncoder().encode(BODY))).toBe(HEX);
    expect(verifySignature(SECRET, `t=${T},sha256=${HEX}`, BODY, T + 10)).toEqual({ ok: true });
    expect(verifySignature(SECRET, `sha256=${HEX.toUpperCase()}, t=${T}`, BODY, T)).toEqual({ ok: true });
  });

  it('says which: missing, malformed, too old (or ahead), mismatch', () => {
    expect(verifySignature(SECRET, undefined, BODY, T)).toMatchObject({ ok: false, failure: 'missing' });
    expect(verifySignature(SECRET, '  ', BODY, T)).toMatchObject({ ok: false, failure: 'missing' });
    for (const bad of [
      `sha256=${HEX}`,
      `t=${T}`,
      `t=abc,sha256=${HEX}`,
      `t=${T},sha256=${HEX.slice(1)}`,
      `t=${T},sha256=${HEX},t=${T}`,
      `t=${T};sha256=${HEX}`,
      `t=${T},sha1=${HEX}`,
      'x'.repeat(400),
    ]) {
      expect(verifySignature(SECRET, bad, BODY, T), bad).toMatchObject({ ok: false, failure: 'malformed' });
    }
    const old = verifySignature(SECRET, `t=${T},sha256=${HEX}`, BODY, T + 301);
    expect(old).toMatchObject({ ok: false, failure: 'too-old' });
    expect(!old.ok && old.detail).toMatch(/too old: replays are refused after 5 minutes/);
    expect(verifySignature(SECRET, `t=${T},sha256=${HEX}`, BODY, T + 300)).toEqual({ ok: true });
    expect(verifySignature(SECRET, `t=${T},sha256=${HEX}`, BODY, T - 301)).toMatchObject({
      ok: false,
      failure: 'too-old',
    });
    expect(verifySignature(SECRET, `t=${T},sha256=${HEX}`, BODY + ' ', T)).toMatchObject({
      ok: false,
      failure: 'mismatch',
    });
    expect(verifySignature('pwsig_other', `t=${T},sha256=${HEX}`, BODY, T)).toMatchObject({
      ok: false,
      failure: 'mismatch',
    });
    // The timestamp is inside the MAC: a fresh t on an old MAC does not pass.
    expect(verifySignature(SECRET, `t=${T + 1},sha256=${HEX}`, BODY, T)).toMatchObject({
      ok: false,
      failure: 'mismatch',
    });
  });

  it('parses the header and checks its age without the body', () => {
    expect(parseSignatureHeader(`t=${T},sha256=${HEX}`)).toMatchObject({ t: T });
    expect(checkSignatureHeader(signatureHeader(SECRET, T, BODY), T + 5)).toMatchObject({ ok: true });
  });

  it('verifies a streamed body the same way', async () => {
    const parsed = parseSignatureHeader(`t=${T},sha256=${HEX}`)!;
    const check = async (parts: string[]) => {
      const s = new SignatureStream(SECRET, parsed);
      const source = new ReadableStream<Uint8Array>({
        start(c) {
          for (const p of parts) c.enqueue(new TextEncoder().encode(p));
          c.close();
        },
      });
      const reader = s.wrap(source).getReader();
      while (!(await reader.read()).done);
      return s.verify();
    };
    expect(await check([BODY.slice(0, 5), BODY.slice(5)])).toEqual({ ok: true });
    expect(await check([BODY, '\n'])).toMatchObject({ ok: false, failure: 'mismatch' });
  });

  it('makes secrets of 32 random bytes with a prefix', () => {
    const a = newSigningSecret();
    expect(a).toMatch(/^pwsig_[A-Za-z0-9_-]{43}$/);
    expect(newSigningSecret()).not.toBe(a);
  });
});
