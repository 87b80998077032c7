import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../api/env';

describe('parseEnv', () => {
  it('applies the documented defaults', () => {
    const result = parseEnv({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      PGLITE_DIR: '.pairwise/data',
      ORG_TIMEZONE: 'UTC',
      PAIRWISE_DEMO: true,
    });
    expect(result.env.DATABASE_URL).toBeUndefined();
    expect(result.env.PAIRWISE_ADMIN_TOKEN).toBeUndefined();
  });

  it('treats empty values as unset', () => {
    const result = parseEnv({ PORT: '', DATABASE_URL: '  ' });
    expect(result.ok && result.env.PORT === 3000 && result.env.DATABASE_URL === undefined).toBe(true);
  });

  it('reads every variable', () => {
    const result = parseEnv({
      PORT: '3100',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      PGLITE_DIR: '/var/lib/pairwise',
      ORG_TIMEZONE: 'America/Chicago',
      PAIRWISE_ADMIN_TOKEN: 'a-long-enough-admin-token-0123456789',
      PAIRWISE_DEMO: '0',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.env).toMatchObject({
      PORT: 3100,
      HOST: '0.0.0.0',
      ORG_TIMEZONE: 'America/Chicago',
      PAIRWISE_DEMO: false,
      PGLITE_DIR: '/var/lib/pairwise',
    });
  });

  it.each([
    ['PORT', 'abc', /PORT must be a port number \(got 'abc'\)/],
    ['PORT', '70000', /PORT must be between 0 and 65535/],
    ['PORT', '3.5', /PORT must be a whole number/],
    ['ORG_TIMEZONE', 'Mars/Olympus', /ORG_TIMEZONE must be an IANA time zone/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must be a postgres:\/\//],
    ['PAIRWISE_ADMIN_TOKEN', 'short', /PAIRWISE_ADMIN_TOKEN must be at least 32 characters/],
    ['PAIRWISE_DEMO', 'maybe', /PAIRWISE_DEMO must be 1 or 0/],
  ])('rejects %s=%s with a clear message', (name, value, message) => {
    const result = parseEnv({ [name]: value });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.join('\n')).toMatch(message);
  });

  it('lists every bad variable at once', () => {
    const result = parseEnv({ PORT: 'x', ORG_TIMEZONE: 'Nowhere/Else' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(2);
  });
});
