// Request signatures for ingest tokens that carry a signing secret:
// `X-Pairwise-Signature: t=<unix seconds>,sha256=<hex>` where hex = HMAC-SHA256(secret, `${t}.${body}`)
// over the body's exact bytes. The timestamp is inside the MAC, so an old request cannot be
// replayed past the allowed skew. Pure: the clock is passed in.
import { createHmac, randomBytes, timingSafeEqual, type Hmac } from 'node:crypto';
import { EVENTS } from '../limits';

export const SIGNATURE_HEADER = 'x-pairwise-signature';
export const SIGNING_SECRET_PREFIX = 'pwsig_';

/** A new signing secret: 32 random bytes, base64url, with a prefix that says what it is. */
export const newSigningSecret = () => `${SIGNING_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;

export interface SignatureHeader {
  t: number;
  /** The MAC as 32 bytes. */
  mac: Buffer;
}

export type SignatureFailure = 'missing' | 'malformed' | 'too-old' | 'mismatch';

export type SignatureVerdict = { ok: true } | { ok: false; failure: SignatureFailure; detail: string };

const FORMAT = 'X-Pairwise-Signature: t=<unix seconds>,sha256=<64 hex digits>';

const failed = (failure: SignatureFailure, detail: string): SignatureVerdict => ({ ok: false, failure, detail });

/** Reads the header; null when it is not `t=<digits>,sha256=<64 hex>` (in either order, spaces allowed). */
export function parseSignatureHeader(header: string): SignatureHeader | null {
  if (header.length > 300) return null;
  let t: number | undefined;
  let mac: Buffer | undefined;
  for (const part of header.split(',')) {
    const m = /^\s*([a-z0-9]+)=([^\s]*)\s*$/i.exec(part);
    if (!m) return null;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 't' && t === undefined && /^\d{1,12}$/.test(value)) t = Number(value);
    else if (key === 'sha256' && mac === undefined && /^[0-9a-f]{64}$/i.test(value)) mac = Buffer.from(value, 'hex');
    else return null;
  }
  return t === undefined || mac === undefined ? null : { t, mac };
}

/** The hex MAC a sender puts in the header. */
export function signBody(secret: string, t: number, body: Uint8Array | string): string {
  return createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
}

/** The header a sender sends (tests, examples). */
export const signatureHeader = (secret: string, t: number, body: Uint8Array | string) =>
  `t=${t},sha256=${signBody(secret, t, body)}`;

/**
 * Checks the header's presence, form and age; answers the parsed header or why it fails. The MAC
 * itself is checked by `verifySignature`, or after streaming with `SignatureStream`.
 */
export function checkSignatureHeader(
  header: string | undefined | null,
  nowSeconds: number,
  skewSeconds: number = EVENTS.signatureSkewSeconds,
): { ok: true; parsed: SignatureHeader } | { ok: false; failure: SignatureFailure; detail: string } {
  if (header === undefined || header === null || header.trim() === '') {
    return { ok: false, failure: 'missing', detail: `This token signs its requests: the ${FORMAT} header is missing.` };
  }
  const parsed = parseSignatureHeader(header);
  if (!parsed) return { ok: false, failure: 'malformed', detail: `The signature header is malformed: send ${FORMAT}.` };
  const skew = nowSeconds - parsed.t;
  if (skew > skewSeconds)
    return {
      ok: false,
      failure: 'too-old',
      detail: `The signature is too old: replays are refused after ${skewSeconds / 60} minutes (t=${parsed.t} is ${Math.round(skew)} s ago).`,
    };
  if (-skew > skewSeconds)
    return {
      ok: false,
      failure: 'too-old',
      detail: `The signature's timestamp t=${parsed.t} is ${Math.round(-skew)} s ahead of this server's clock (at most ${skewSeconds / 60} minutes either way): check the sender's clock.`,
    };
  return { ok: true, parsed };
}

const mismatch = () =>
  failed(
    'mismatch',
    'The signature does not match the body: sign `${t}.${body}` (the exact bytes sent) with HMAC-SHA256 and the token’s signing secret.',
  );

function sameMac(expected: Buffer, given: Buffer): boolean {
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Verifies a whole body's signature. */
export function verifySignature(
  secret: string,
  header: string | undefined | null,
  body: Uint8Array | string,
  nowSeconds: number,
  skewSeconds?: number,
): SignatureVerdict {
  const checked = checkSignatureHeader(header, nowSeconds, skewSeconds);
  if (!checked.ok) return checked;
  const expected = createHmac('sha256', secret).update(`${checked.parsed.t}.`).update(body).digest();
  return sameMac(expected, checked.parsed.mac) ? { ok: true } : mismatch();
}

/** A body's signature checked as it streams past (bodies received to disk): feed it every chunk, then `verify`. */
export class SignatureStream {
  private readonly hmac: Hmac;

  constructor(
    secret: string,
    private readonly parsed: SignatureHeader,
  ) {
    this.hmac = createHmac('sha256', secret).update(`${parsed.t}.`);
  }

  /** Passes the body through, feeding the MAC. */
  wrap(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    return body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform: (chunk, controller) => {
          this.hmac.update(chunk);
          controller.enqueue(chunk);
        },
      }),
    );
  }

  verify(): SignatureVerdict {
    return sameMac(this.hmac.digest(), this.parsed.mac) ? { ok: true } : mismatch();
  }
}
