// The token guard and bursts: copies of one token checked at once from one address take one
// failure ahead (a platform's webhooks arriving together), yet a wrong token's copies still drain
// the buckets and are refused once they are empty.
import { describe, expect, it } from 'vitest';
import { TokenGuard } from '../../api/auth/guard';

const rate = { burst: 3, perMinute: 1 };

describe('token guard: concurrent copies of one token', () => {
  it('admits a burst of one unchecked token beyond the burst size, and remembers it once it works', () => {
    const g = new TokenGuard({ perAddress: rate, overall: { burst: 100, perMinute: 100 }, now: () => 0 });
    const attempts = Array.from({ length: 20 }, () => g.admit('192.0.2.1', 'pw_good'));
    for (const a of attempts) a.succeeded();
    expect(() => g.admit('192.0.2.1', 'pw_good')).not.toThrow();
  });

  it('still refuses distinct guesses past the burst', () => {
    const g = new TokenGuard({ perAddress: rate, overall: { burst: 100, perMinute: 100 }, now: () => 0 });
    const held = [g.admit('192.0.2.2', 'pw_a'), g.admit('192.0.2.2', 'pw_b'), g.admit('192.0.2.2', 'pw_c')];
    expect(() => g.admit('192.0.2.2', 'pw_d')).toThrow(/Too many failed access tokens/);
    for (const a of held) a.failed();
  });

  it('counts each failed copy, so a wrong token sent over and over is refused once the bucket is empty', () => {
    const g = new TokenGuard({ perAddress: rate, overall: { burst: 100, perMinute: 100 }, now: () => 0 });
    const copies = Array.from({ length: 5 }, () => g.admit('192.0.2.3', 'pw_wrong'));
    for (const a of copies) a.failed();
    expect(() => g.admit('192.0.2.3', 'pw_wrong')).toThrow(/Too many failed access tokens/);
    const first = (() => {
      const g2 = new TokenGuard({ perAddress: rate, overall: { burst: 100, perMinute: 100 }, now: () => 0 });
      g2.admit('192.0.2.4', 'pw_wrong').failed();
      g2.admit('192.0.2.4', 'pw_wrong').failed();
      const pending = g2.admit('192.0.2.4', 'pw_wrong');
      // The bucket holds no room for another failure: a copy is refused even while one is pending.
      expect(() => g2.admit('192.0.2.4', 'pw_wrong')).toThrow(/Too many/);
      return pending;
    })();
    first.failed();
  });
});
