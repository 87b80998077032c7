// Limits on guessing access tokens: failed token checks per client address and over every address,
// refused with 429 before the token is even looked at (else a 429 would only mean "wrong guess").
// Session cookies are not limited: they are 256-bit server-made secrets, and a stale one after a
// sign-out is ordinary, not a guess.
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context';
import { limitReached } from '../errors';
import {
  TOKEN_FAILURE_ADDRESSES,
  TOKEN_FAILURES_OVERALL,
  TOKEN_FAILURES_PER_ADDRESS,
  TOKEN_KNOWN_GOOD,
} from '../limits';
import { clientAddress } from '../net';
import { hashSecret } from './tokens';

interface Rate {
  burst: number;
  perMinute: number;
}

interface Bucket {
  level: number;
  at: number;
}

/** The bucket's level at `now`, refilled at the rate and capped at the burst. */
const levelAt = (b: Bucket, rate: Rate, now: number) =>
  Math.min(rate.burst, b.level + ((now - b.at) / 60_000) * rate.perMinute);

/** Seconds until the bucket holds one whole failure again. */
const waitFor = (level: number, rate: Rate) => ((1 - level) * 60) / rate.perMinute;

/** What to tell the guard once the token was checked. */
export interface Attempt {
  succeeded(): void;
  failed(): void;
  /** No verdict (the check itself broke): it costs nothing. */
  undecided(): void;
}

export interface GuardOptions {
  perAddress?: Rate;
  overall?: Rate;
  maxAddresses?: number;
  knownGood?: { entries: number; minutes: number };
  now?: () => number;
}

/**
 * Token buckets that only failures drain (hand-written: rate-limit libraries count every request).
 * Each check takes one failure ahead, so concurrent guesses cannot all slip past an empty bucket,
 * and a success gives it back. A token that worked from an address skips the buckets there.
 */
export class TokenGuard {
  private readonly perAddress: Rate;
  private readonly overall: Rate;
  private readonly maxAddresses: number;
  private readonly knownGoodLimit: { entries: number; minutes: number };
  private readonly now: () => number;
  private readonly addresses = new Map<string, Bucket>();
  private readonly all: Bucket;
  /** `address token-hash` → when it last worked (ms). */
  private readonly knownGood = new Map<string, number>();
  /** `address token-hash` → checks of it under way: only the first takes a failure ahead. */
  private readonly checking = new Map<string, number>();

  constructor(options: GuardOptions = {}) {
    this.perAddress = options.perAddress ?? TOKEN_FAILURES_PER_ADDRESS;
    this.overall = options.overall ?? TOKEN_FAILURES_OVERALL;
    this.maxAddresses = options.maxAddresses ?? TOKEN_FAILURE_ADDRESSES;
    this.knownGoodLimit = options.knownGood ?? TOKEN_KNOWN_GOOD;
    this.now = options.now ?? Date.now;
    this.all = { level: this.overall.burst, at: this.now() };
  }

  /** Addresses currently remembered (bounded by maxAddresses). */
  get size(): number {
    return this.addresses.size;
  }

  /** Call before checking a token: throws 429 when its address, or everyone, ran out of failures. */
  admit(address: string, token: string): Attempt {
    const now = this.now();
    const pair = `${address} ${hashSecret(token)}`;
    const worked = this.knownGood.get(pair);
    if (worked !== undefined && now - worked < this.knownGoodLimit.minutes * 60_000) {
      return {
        succeeded: () => this.remember(pair),
        failed: () => {
          // Revoked since: from now on it is a failure like any other.
          this.knownGood.delete(pair);
          this.take(address, this.now(), true);
        },
        undecided: () => {},
      };
    }
    // The same token checked again from the same address while its first check runs (a platform's
    // burst of webhooks): one guess, so one failure ahead; should it fail, each copy counts after
    // and drains the buckets, and once they are empty copies are refused like any check.
    if (this.checking.has(pair) && this.hasRoom(address, now)) {
      this.enter(pair);
      return {
        succeeded: () => (this.leave(pair), this.remember(pair)),
        failed: () => (this.leave(pair), this.take(address, this.now(), true)),
        undecided: () => this.leave(pair),
      };
    }
    this.take(address, now, false);
    this.enter(pair);
    return {
      succeeded: () => {
        this.leave(pair);
        this.giveBack(address);
        this.remember(pair);
      },
      failed: () => this.leave(pair),
      undecided: () => {
        this.leave(pair);
        this.giveBack(address);
      },
    };
  }

  private hasRoom(address: string, now: number): boolean {
    const mine = this.addresses.get(address);
    return (
      (mine ? levelAt(mine, this.perAddress, now) : this.perAddress.burst) >= 1 &&
      levelAt(this.all, this.overall, now) >= 1
    );
  }

  private enter(pair: string) {
    this.checking.set(pair, (this.checking.get(pair) ?? 0) + 1);
  }

  private leave(pair: string) {
    const n = (this.checking.get(pair) ?? 1) - 1;
    if (n <= 0) this.checking.delete(pair);
    else this.checking.set(pair, n);
  }

  /** Takes one failure from the address's bucket and the overall one; unless `force`, refuses when either is empty. */
  private take(address: string, now: number, force: boolean) {
    const mine = this.addresses.get(address);
    const own = mine ? levelAt(mine, this.perAddress, now) : this.perAddress.burst;
    const overall = levelAt(this.all, this.overall, now);
    if (!force && own < 1) {
      throw limitReached(
        429,
        'token-failures',
        `Too many failed access tokens from this address: try again in ${Math.ceil(waitFor(own, this.perAddress))} s.`,
        waitFor(own, this.perAddress),
      );
    }
    if (!force && overall < 1) {
      throw limitReached(
        429,
        'token-failures-overall',
        `Too many failed access tokens from all addresses together: try again in ${Math.ceil(waitFor(overall, this.overall))} s.`,
        waitFor(overall, this.overall),
      );
    }
    // Re-inserted so that the map's order is least recently failing first.
    this.addresses.delete(address);
    this.addresses.set(address, { level: Math.max(0, own - 1), at: now });
    this.all.level = Math.max(0, overall - 1);
    this.all.at = now;
    if (this.addresses.size > this.maxAddresses) this.evict(now);
  }

  private giveBack(address: string) {
    const now = this.now();
    const mine = this.addresses.get(address);
    if (mine) {
      const level = levelAt(mine, this.perAddress, now) + 1;
      if (level >= this.perAddress.burst) this.addresses.delete(address);
      else Object.assign(mine, { level, at: now });
    }
    this.all.level = Math.min(this.overall.burst, levelAt(this.all, this.overall, now) + 1);
    this.all.at = now;
  }

  /** Forgets full buckets (the same as none), then the least recently failing, down to 90 % of the bound. */
  private evict(now: number) {
    for (const [key, b] of this.addresses)
      if (levelAt(b, this.perAddress, now) >= this.perAddress.burst) this.addresses.delete(key);
    for (const key of this.addresses.keys()) {
      if (this.addresses.size <= this.maxAddresses * 0.9) break;
      this.addresses.delete(key);
    }
  }

  private remember(pair: string) {
    this.knownGood.delete(pair);
    this.knownGood.set(pair, this.now());
    if (this.knownGood.size > this.knownGoodLimit.entries) this.knownGood.delete(this.knownGood.keys().next().value!);
  }
}

const guards = new WeakMap<AppDeps, TokenGuard>();

/** The app's guard (one per app, like its live hub). */
export function tokenGuard(deps: AppDeps): TokenGuard {
  let guard = guards.get(deps);
  if (!guard) guards.set(deps, (guard = new TokenGuard()));
  return guard;
}

/** Checks a token under the guard: `check` answers what the token resolves to, or null when it fails. */
export async function guardedCheck<T>(
  c: Context<AppEnv>,
  token: string,
  check: () => Promise<T | null>,
): Promise<T | null> {
  const attempt = tokenGuard(c.get('deps')).admit(clientAddress(c), token);
  let result: T | null;
  try {
    result = await check();
  } catch (err) {
    attempt.undecided();
    throw err;
  }
  if (result) attempt.succeeded();
  else attempt.failed();
  return result;
}
