// Live updates for wallboards. One hub per process: it LISTENs on the change channel (PostgreSQL
// NOTIFY from any process on the same database, or PGlite's in-process notify), recomputes each
// subscribed scope's snapshot once per change (debounced), and fans it out to every client of
// that scope. Clients never trigger a computation per connection beyond the first of a scope.
import type { Database } from '../../db/client';
import { forgetTokenHolders } from '../auth/tokens';
import { CHANGES_CHANNEL } from '../ingest/notices';

export interface LiveClient {
  /** Sends one snapshot; answers false when the client is gone. */
  send(snapshot: unknown, version: number): boolean | Promise<boolean>;
  /** What the client's access rests on (e.g. `token:3`, `session:<hash>`); see `endAccess`. */
  credentials?: readonly string[];
  /** Called once when the hub drops the client because its access ended; it sends nothing more. */
  end?(): void;
}

export interface HubOptions {
  /**
   * Changes within this window are coalesced into one recomputation, and a scope is recomputed at
   * most once per window (a change during a computation waits for the rest of the window, so a
   * steady stream of events leaves the database time for the events).
   */
  debounceMs?: number;
  /** Recomputes every subscribed scope this often even without a change (day rollover, a missed notice). */
  refreshMs?: number;
  /** Called with errors of background work (a failed recomputation keeps the last snapshot). */
  onError?: (err: unknown) => void;
}

interface Scope {
  /** Each client with the version it was last sent. */
  clients: Map<LiveClient, number>;
  snapshot: unknown;
  version: number;
  computing: Promise<void> | null;
  /** A change arrived while computing: compute again when done. */
  dirty: boolean;
}

/** The fields of a change notice the hub reads; anything unreadable is a change all the same. */
function readNotice(payload: string): { kinds?: unknown; ended?: unknown } {
  try {
    const parsed: unknown = JSON.parse(payload);
    return parsed !== null && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

export class LiveHub<K extends string = string> {
  private scopes = new Map<K, Scope>();
  private unlisten: (() => Promise<void>) | null = null;
  private listening: Promise<void> | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private refresh: NodeJS.Timeout | null = null;
  private version = 0;
  private closed = false;
  /** Change notices received (for tests and the benchmark). */
  notices = 0;

  constructor(
    private readonly database: Database,
    private readonly compute: (scope: K) => Promise<unknown>,
    private readonly options: HubOptions = {},
  ) {}

  /** Subscribed clients, over every scope. */
  get clients(): number {
    let n = 0;
    for (const s of this.scopes.values()) n += s.clients.size;
    return n;
  }

  /** Adds a client to a scope and sends it the current snapshot; answers the unsubscribe. */
  async subscribe(key: K, client: LiveClient): Promise<() => void> {
    if (this.closed) throw new Error('the live hub is closed');
    await this.ensureListening();
    let scope = this.scopes.get(key);
    if (!scope) {
      scope = { clients: new Map(), snapshot: undefined, version: -1, computing: null, dirty: false };
      this.scopes.set(key, scope);
    }
    scope.clients.set(client, -1);
    if (scope.version < 0) await this.recompute(key, scope);
    else if (scope.computing) await scope.computing;
    await this.deliver(scope, client);
    this.ensureRefresh();
    const s = scope;
    return () => {
      s.clients.delete(client);
      if (s.clients.size === 0 && this.scopes.get(key) === s) this.scopes.delete(key);
    };
  }

  /** Drops, at once, every client whose access rests on one of these credentials, and ends it; answers how many. */
  endAccess(credentials: readonly string[]): number {
    const ended = new Set(credentials);
    let n = 0;
    for (const [key, scope] of this.scopes) {
      for (const client of [...scope.clients.keys()]) {
        if (!client.credentials?.some((c) => ended.has(c))) continue;
        scope.clients.delete(client);
        n++;
        try {
          client.end?.();
        } catch (err) {
          this.options.onError?.(err);
        }
      }
      if (scope.clients.size === 0) this.scopes.delete(key);
    }
    return n;
  }

  /**
   * A notice on the change channel: access that ended (`ended`) is ended first, synchronously,
   * so no snapshot computed afterwards reaches it; a notice of ended access alone changes no data.
   */
  private notice(payload: string): void {
    const parsed = readNotice(payload);
    if (Array.isArray(parsed.ended)) {
      // Access ended, maybe in another process: no remembered token outlives it here either.
      forgetTokenHolders();
      this.endAccess(parsed.ended.filter((c): c is string => typeof c === 'string'));
    }
    const kinds = parsed.kinds;
    if (Array.isArray(kinds) && kinds.length > 0 && kinds.every((k) => k === 'access')) return;
    this.changed();
  }

  /** Marks every scope stale and recomputes after the debounce window (a change notice). */
  changed(): void {
    this.notices++;
    for (const s of this.scopes.values()) s.dirty = true;
    this.schedule(this.window);
  }

  private get window() {
    return this.options.debounceMs ?? 150;
  }

  /** Recomputes the dirty scopes in `ms` (unless a recomputation is scheduled already). */
  private schedule(ms: number): void {
    if (this.debounce || this.closed) return;
    this.debounce = setTimeout(() => {
      this.debounce = null;
      void this.recomputeAll();
    }, ms);
    this.debounce.unref?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.debounce) clearTimeout(this.debounce);
    if (this.refresh) clearInterval(this.refresh);
    this.scopes.clear();
    if (this.listening) await this.listening.catch(() => {});
    if (this.unlisten) await this.unlisten().catch(() => {});
    this.unlisten = null;
  }

  private ensureListening(): Promise<void> {
    this.listening ??= this.database
      .listen(CHANGES_CHANNEL, (payload) => this.notice(payload))
      .then((stop) => {
        this.unlisten = stop;
      });
    return this.listening;
  }

  private ensureRefresh(): void {
    if (this.refresh || !this.options.refreshMs) return;
    this.refresh = setInterval(() => {
      if (this.scopes.size === 0) return;
      for (const s of this.scopes.values()) s.dirty = true;
      void this.recomputeAll();
    }, this.options.refreshMs);
    this.refresh.unref?.();
  }

  /** Sends the scope's snapshot to a client that has not had this version; drops a client that is gone. */
  private async deliver(scope: Scope, client: LiveClient): Promise<void> {
    const last = scope.clients.get(client);
    if (last === undefined || scope.version < 0 || last >= scope.version) return;
    scope.clients.set(client, scope.version);
    let ok: boolean;
    try {
      ok = await client.send(scope.snapshot, scope.version);
    } catch {
      ok = false;
    }
    if (!ok) scope.clients.delete(client);
  }

  private async recomputeAll(): Promise<void> {
    await Promise.all(
      [...this.scopes.entries()]
        .filter(([, scope]) => scope.dirty || scope.version < 0)
        .map(([key, scope]) => this.recompute(key, scope)),
    );
  }

  private recompute(key: K, scope: Scope): Promise<void> {
    if (scope.computing) {
      scope.dirty = true;
      return scope.computing;
    }
    scope.dirty = false;
    const started = performance.now();
    scope.computing = (async () => {
      try {
        const snapshot = await this.compute(key);
        scope.snapshot = snapshot;
        scope.version = ++this.version;
        await Promise.all([...scope.clients.keys()].map((c) => this.deliver(scope, c)));
      } catch (err) {
        this.options.onError?.(err);
      } finally {
        scope.computing = null;
      }
      // Changed meanwhile: again once a window has passed since this computation started.
      if (scope.dirty && !this.closed && this.scopes.get(key) === scope)
        this.schedule(Math.max(0, this.window - (performance.now() - started)));
    })();
    return scope.computing;
  }
}
