// Who is on the other end of a request: the client's address, the scheme and the host it used.
// X-Forwarded-For/-Proto/-Host are honoured only with TRUST_PROXY: any client can send them, so
// without a proxy in front they would let anyone pick their own address (and dodge the sign-in
// limits) or claim HTTPS. TRUST_PROXY means exactly one reverse proxy that appends the address
// it saw to X-Forwarded-For: the right-most entry is the one it wrote, anything to its left came
// from the client and is ignored (a chain of proxies: let the outer one set the header).
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AppEnv } from './context';

const trusted = (c: Context<AppEnv>) => c.get('deps')?.env.TRUST_PROXY === true;

/** The right-most value of a comma-separated forwarding header, trimmed; undefined when absent or empty. */
export function lastHop(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const hops = header.split(',');
  const last = hops[hops.length - 1]!.trim();
  return last === '' ? undefined : last;
}

/** The socket's peer address; 'unknown' when there is no socket (app.request in tests). */
function socketAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Strips an IPv4-mapped IPv6 prefix and IPv6 brackets, so one client has one spelling. */
function normalise(address: string): string {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  return bare.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
}

/** The client's address: the socket peer, or behind a trusted proxy the hop it appended. */
export function clientAddress(c: Context<AppEnv>): string {
  const forwarded = trusted(c) ? lastHop(c.req.header('x-forwarded-for')) : undefined;
  return normalise(forwarded ?? socketAddress(c)).slice(0, 64);
}

/** Whether the client reached us over HTTPS (directly, or at a trusted proxy). */
export function isHttps(c: Context<AppEnv>): boolean {
  if (trusted(c)) {
    const proto = lastHop(c.req.header('x-forwarded-proto'));
    if (proto) return proto.toLowerCase() === 'https';
  }
  return new URL(c.req.url).protocol === 'https:';
}

/** The host (and port) the client asked for: the Host header, or a trusted proxy's X-Forwarded-Host. */
export function requestHost(c: Context<AppEnv>): string {
  const forwarded = trusted(c) ? lastHop(c.req.header('x-forwarded-host')) : undefined;
  return (forwarded ?? c.req.header('host') ?? new URL(c.req.url).host).toLowerCase();
}
