// The web's ingest role: it sees no area, and the shell example Admin › Access shows for a signed
// ingest token signs exactly what it sends (run by bash with openssl, curl replaced by a recorder).
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { canSee, ROLES, type Area } from '../../web/src/lib/api';
import { ingestExample, shellQuote } from '../../web/src/lib/components/admin/access/ingest-example';

const AREAS: Area[] = ['weekly', 'coach', 'tv', 'admin', 'quotes'];

describe('the ingest role in the web', () => {
  it('is a role and sees no area', () => {
    expect(ROLES).toContain('ingest');
    for (const area of AREAS) expect(canSee('ingest', area)).toBe(false);
    expect(canSee('display', 'tv')).toBe(true);
  });
});

describe('the ingest example', () => {
  it('quotes shell values, single quotes included', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('names the URL and a record of the given team', () => {
    const ex = ingestExample({
      origin: 'https://cx.example',
      token: 'pw_t',
      team: 'floor-1',
      now: new Date('2026-12-06T10:00:00.123Z'),
    });
    expect(ex.url).toBe('https://cx.example/api/v1/events/interactions');
    expect(JSON.parse(ex.body)).toEqual([
      expect.objectContaining({
        team: 'floor-1',
        occurred_at: '2026-12-06T10:00:00Z',
        external_id: 'example-20261206100000',
      }),
    ]);
    expect(ex.headers).not.toContain('X-Pairwise-Signature');
    expect(ex.shell).not.toContain('openssl');
  });

  it('signs t + "." + the exact body bytes with the secret, as the API checks', async () => {
    const secret = "pwsig_a'b$c";
    const ex = ingestExample({ origin: 'https://cx.example', token: 'pw_t', secret, team: "o'brien", now: new Date() });
    expect(ex.headers).toContain('X-Pairwise-Signature: t=<unix seconds>,sha256=');
    // curl replaced by a function that prints its signature header and the body it would send.
    const recorder = `curl() { while [ $# -gt 0 ]; do case "$1" in -H) case "$2" in X-Pairwise-Signature:*) printf '%s\\n' "$2";; esac; shift 2;; --data-binary) printf '%s' "$2"; shift 2;; *) shift;; esac; done; }`;
    const { stdout } = await promisify(execFile)('bash', ['-c', `${recorder}\n${ex.shell}`]);
    const newline = stdout.indexOf('\n');
    const header = stdout.slice(0, newline);
    const sent = stdout.slice(newline + 1);
    expect(sent).toBe(ex.body);
    const m = /^X-Pairwise-Signature: t=(\d+),sha256=([0-9a-f]{64})$/.exec(header);
    expect(m).not.toBeNull();
    const t = Number(m![1]);
    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(60);
    expect(m![2]).toBe(createHmac('sha256', secret).update(`${t}.${sent}`).digest('hex'));
  });
});
