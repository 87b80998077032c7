// An upload is received into a temporary file before its import starts, so that no lock and no
// database connection waits on a client's bytes: a slow or stalled client costs a socket and a
// file, never the pool. The file is private to this process (0600, in a 0700 directory) and is
// removed when the request ends; directories left by a process that died are swept on first use.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The upload grew past `limit` bytes. */
export class UploadTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the body is larger than ${limit} bytes`);
    this.name = 'UploadTooLarge';
  }
}

/** The client sent nothing for `seconds`. */
export class UploadIdle extends Error {
  constructor(
    readonly seconds: number,
    readonly bytes: number,
  ) {
    super(`the upload sent nothing for ${seconds} s`);
    this.name = 'UploadIdle';
  }
}

/** The client went away (or its stream failed) before the body ended. */
export class UploadAborted extends Error {
  constructor(
    readonly bytes: number,
    cause: unknown,
  ) {
    super('the client disconnected before the body ended', { cause });
    this.name = 'UploadAborted';
  }
}

/** The bytes of all uploads together would pass what may be on disk at once. */
export class SpoolFull extends Error {
  constructor(readonly bytes: number) {
    super('the temporary space for uploads is full');
    this.name = 'SpoolFull';
  }
}

export interface SpoolOptions {
  /** Most bytes this body may have. */
  maxBytes: number;
  /** Milliseconds without a byte before the upload is cut off. */
  idleMs: number;
  /** Asks for room for `bytes` more; false when the uploads together have no more. */
  reserve(bytes: number): boolean;
}

export interface Spooled {
  path: string;
  bytes: number;
}

const PREFIX = 'pairwise-uploads-';
let directory: string | null = null;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** This process's directory for uploads (made, and stale ones of dead processes removed, on first use). */
export function spoolDirectory(): string {
  if (directory) return directory;
  const base = tmpdir();
  try {
    for (const name of readdirSync(base)) {
      const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
      if (m && Number(m[1]) !== process.pid && !alive(Number(m[1])))
        rmSync(join(base, name), { recursive: true, force: true });
    }
  } catch {
    // Sweeping is a courtesy; a directory that cannot be listed is not this process's problem.
  }
  directory = mkdtempSync(join(base, `${PREFIX}${process.pid}-`));
  const made = directory;
  process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  return made;
}

let counter = 0;
/** Written to disk a megabyte at a time (fewer system calls than one per network chunk). */
const FLUSH_BYTES = 1 << 20;

/**
 * Reads `body` to its end into a new temporary file. Throws UploadTooLarge, UploadIdle,
 * UploadAborted or SpoolFull (the file is then removed); `reserve` is asked for every chunk, and
 * the caller gives the room back when it is done with the file (`bytes`, or the error's bytes).
 */
export async function spoolBody(body: ReadableStream<Uint8Array>, options: SpoolOptions): Promise<Spooled> {
  const path = join(spoolDirectory(), `upload-${++counter}`);
  const file = await open(path, 'wx', 0o600);
  const reader = body.getReader();
  let bytes = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const buffer = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await file.write(buffer);
  };
  let done = false;
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const idle = new Promise<'idle'>((resolve) => (timer = setTimeout(() => resolve('idle'), options.idleMs)));
      let next: ReadableStreamReadResult<Uint8Array> | 'idle';
      try {
        next = await Promise.race([reader.read(), idle]);
      } catch (err) {
        throw new UploadAborted(bytes, err);
      } finally {
        clearTimeout(timer);
      }
      // The stream is left as it is: the server closes the connection after the answer.
      if (next === 'idle') throw new UploadIdle(options.idleMs / 1000, bytes);
      if (next.done) break;
      const chunk = next.value;
      if (bytes + chunk.byteLength > options.maxBytes) throw new UploadTooLarge(options.maxBytes);
      if (!options.reserve(chunk.byteLength)) throw new SpoolFull(bytes);
      bytes += chunk.byteLength;
      pending.push(chunk);
      pendingBytes += chunk.byteLength;
      if (pendingBytes >= FLUSH_BYTES) await flush();
    }
    await flush();
    done = true;
    return { path, bytes };
  } finally {
    await file.close().catch(() => {});
    if (!done) await rm(path, { force: true });
  }
}

/** Removes a spooled file (never throws: it may be gone already). */
export async function removeSpooled(path: string): Promise<void> {
  await rm(path, { force: true }).catch(() => {});
}
