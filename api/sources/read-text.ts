// Text out of a file's bytes in a declared encoding, strictly: a byte the encoding has no character
// for is an error naming its offset and line, not a silent replacement character. Also the pieces
// the readers share: a rows iterator that releases its file, and plain-words numbers.
import { createReadStream } from 'node:fs';
import type { SourceRow } from '../ingest/sources';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export const ENCODING_NAMES: Record<TextEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  'windows-1252': 'Windows-1252',
};

/** Bytes read per step (Node's default: larger chunks measured slower, their strings cost more to cut). */
export const CHUNK_BYTES = 64 * 1024;

/** Thousands separators: 1,204. */
export const fmt = (n: number) => n.toLocaleString('en');

/** A decoding problem at a byte offset; the reader turns it into a SourceError with the line. */
export class DecodeError extends Error {
  constructor(
    /** Byte offset of the problem in the file, or -1 for the file as a whole. */
    readonly offset: number,
    /** What is wrong, without the line (`byte 0xE9 at offset 1,204 is not …`): the line is added by `locate`. */
    readonly describe: (where: string) => string,
  ) {
    super(describe(offset >= 0 ? `at offset ${fmt(offset)}` : ''));
    this.name = 'DecodeError';
  }
}

type Bom = { encoding: TextEncoding; length: number } | null;

export function bomOf(b: Uint8Array): Bom {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * The first byte that does not belong to a valid UTF-8 sequence (the WHATWG decoder's rules), or -1.
 * An incomplete sequence at the end counts only when `final`.
 */
export function utf8ErrorAt(b: Uint8Array, start = 0, final = true): number {
  const n = b.length;
  let i = start;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return final ? i : -1;
      const d = b[i + k]!;
      if (d < lo || d > hi) return i;
      lo = 0x80;
      hi = 0xbf;
    }
    i += need + 1;
  }
  return -1;
}

/** Offset of the first unpaired surrogate in UTF-16 code units (`b` starts on a unit boundary), or -1. */
function utf16ErrorAt(b: Uint8Array, le: boolean, final: boolean): number {
  const unit = (i: number) => (le ? b[i]! | (b[i + 1]! << 8) : (b[i]! << 8) | b[i + 1]!);
  let i = 0;
  // A low surrogate first may pair with a high one just before the window: leave it.
  if (b.length >= 2 && (unit(0) & 0xfc00) === 0xdc00) i = 2;
  for (; i + 1 < b.length; i += 2) {
    const u = unit(i);
    if ((u & 0xfc00) === 0xd800) {
      if (i + 3 >= b.length) return final ? i : -1;
      if ((unit(i + 2) & 0xfc00) !== 0xdc00) return i;
      i += 2;
    } else if ((u & 0xfc00) === 0xdc00) return i;
  }
  return -1;
}

/** Bytes of Windows-1252 that have no character (the decoder maps them to C1 control codes). */
const UNDEFINED_1252 = [0x81, 0x8d, 0x8f, 0x90, 0x9d];

/** The first byte Windows-1252 has no character for, or -1 (five native scans beat one over the text). */
function undefined1252(b: Uint8Array): number {
  let first = -1;
  for (const x of UNDEFINED_1252) {
    const i = b.indexOf(x);
    if (i !== -1 && (first === -1 || i < first)) first = i;
  }
  return first;
}

/**
 * Decodes a byte stream in the declared encoding into text chunks. A byte-order mark of the
 * declared encoding is dropped; one of another encoding is an error (the file is not what was
 * declared), and so are bytes the encoding cannot decode and NUL characters (binary data).
 */
export async function* decodeText(bytes: AsyncIterable<Uint8Array>, encoding: TextEncoding): AsyncGenerator<string> {
  const name = ENCODING_NAMES[encoding];
  const utf16 = encoding === 'utf-16le' || encoding === 'utf-16be';
  const decoder = new TextDecoder(encoding, { fatal: encoding !== 'windows-1252', ignoreBOM: true });
  /** Bytes of the file before the current chunk. */
  let offset = 0;
  /** The previous chunk's last bytes (a character may straddle chunks). */
  let tail = new Uint8Array(0);
  let first = true;
  for await (const chunk of bytes) {
    let b = chunk;
    let skip = 0;
    if (first && b.length > 0) {
      first = false;
      const bom = bomOf(b);
      if (bom && bom.encoding !== encoding) {
        throw new DecodeError(
          0,
          () =>
            `the file is ${ENCODING_NAMES[bom.encoding]} (it starts with a ${ENCODING_NAMES[bom.encoding]} byte-order mark), not ${name}: choose ${ENCODING_NAMES[bom.encoding]}`,
        );
      }
      if (bom) skip = bom.length;
      else if (utf16 && b.indexOf(0) === -1 && b.length >= 2) {
        throw new DecodeError(
          0,
          () =>
            `the file is not valid ${name}: it has no byte-order mark and no zero bytes, so it is 8-bit text (UTF-8 or Windows-1252)`,
        );
      }
      if (skip) b = b.subarray(skip);
    }
    if (!utf16) {
      const nul = b.indexOf(0);
      if (nul !== -1)
        throw new DecodeError(
          offset + skip + nul,
          (at) => `the file contains a NUL byte ${at}: it is binary, or UTF-16 read as 8-bit text`,
        );
    }
    let text: string;
    try {
      text = decoder.decode(b, { stream: true });
    } catch {
      throw decodeProblem(encoding, tail, b, offset + skip, false);
    }
    if (encoding === 'windows-1252') {
      const i = undefined1252(b);
      if (i !== -1)
        throw new DecodeError(
          offset + skip + i,
          (at) => `the file is not valid Windows-1252: byte ${hex(b[i]!)} ${at} has no character in Windows-1252`,
        );
    } else if (utf16) {
      const nul = text.indexOf('\u0000');
      if (nul !== -1)
        throw new DecodeError(
          -1,
          () =>
            `the file contains NUL characters as ${name}: it is binary, or the other byte order (UTF-16 ${encoding === 'utf-16le' ? 'BE' : 'LE'})`,
        );
    }
    const keep = Math.min(4, b.length);
    tail = b.slice(b.length - keep);
    offset += skip + b.length;
    if (text) yield text;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw decodeProblem(encoding, tail, new Uint8Array(0), offset, true);
  }
  if (rest) yield rest;
}

/** Finds where decoding failed: in `b` (at file offset `at`) or in a character begun in `tail`. */
function decodeProblem(
  encoding: TextEncoding,
  tail: Uint8Array,
  b: Uint8Array,
  at: number,
  final: boolean,
): DecodeError {
  const name = ENCODING_NAMES[encoding];
  const window = new Uint8Array(tail.length + b.length);
  window.set(tail, 0);
  window.set(b, tail.length);
  const base = at - tail.length;
  if (encoding === 'utf-8') {
    // Start at the first byte that is not a continuation byte: a character begun before it was
    // checked when its first bytes came.
    let s = 0;
    while (s < tail.length && (window[s]! & 0xc0) === 0x80) s++;
    const i = utf8ErrorAt(window, s, final);
    if (final && (i === -1 || i >= window.length - 4)) {
      return new DecodeError(
        i === -1 ? -1 : base + i,
        () => 'the file is not valid UTF-8: it ends in the middle of a character (cut short?)',
      );
    }
    if (i === -1) return new DecodeError(-1, () => 'the file is not valid UTF-8');
    return new DecodeError(
      base + i,
      (where) =>
        `the file is not valid UTF-8: byte ${hex(window[i]!)} ${where} is not part of a UTF-8 character; if Excel or an older system saved it, choose Windows-1252`,
    );
  }
  // UTF-16: units start at even offsets of the file (after a 2-byte BOM, still even).
  let s = base % 2 === 0 ? 0 : 1;
  if (final && (base + window.length) % 2 === 1) {
    return new DecodeError(-1, () => `the file is not valid ${name}: it has an odd number of bytes (cut short?)`);
  }
  const i = utf16ErrorAt(window.subarray(s), encoding === 'utf-16le', final);
  if (i === -1)
    return new DecodeError(
      -1,
      () => `the file is not valid ${name}${final ? ': it ends in the middle of a character (cut short?)' : ''}`,
    );
  s += i;
  return new DecodeError(
    base + s,
    (where) => `the file is not valid ${name}: an unpaired surrogate ${where} (not text, or not ${name})`,
  );
}

/**
 * Line of a byte offset (1 + the line breaks before it), read again from the file: only when
 * there is a problem to report, so the happy path counts nothing.
 */
export async function lineAt(path: string, offset: number, encoding: TextEncoding): Promise<number> {
  if (offset <= 0) return 1;
  let line = 1;
  let seen = 0;
  const wide = encoding === 'utf-16le' || encoding === 'utf-16be';
  for await (const chunk of createReadStream(path, {
    end: offset - 1,
    highWaterMark: CHUNK_BYTES,
  }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) {
      // In UTF-16 a line feed is 0x0A beside 0x00 on a unit boundary.
      if (!wide) line++;
      else {
        const abs = seen + i;
        if (encoding === 'utf-16le' ? abs % 2 === 0 : abs % 2 === 1) line++;
      }
    }
    seen += chunk.length;
  }
  return line;
}

/** A decoding problem in words with its line: `… byte 0xE9 at offset 1,204 (line 12) …`. */
export async function locate(
  path: string,
  err: DecodeError,
  encoding: TextEncoding,
): Promise<{ line: number; reason: string }> {
  if (err.offset < 0) return { line: 0, reason: err.describe('') };
  const line = await lineAt(path, err.offset, encoding);
  return { line, reason: err.describe(`at offset ${fmt(err.offset)} (line ${fmt(line)})`) };
}

/**
 * A rows iterator whose `return()` releases the file even when reading never began (an async
 * generator that has not started runs no `finally` on return), and which releases it at the end
 * or on an error too.
 */
export function closableRows(
  gen: AsyncGenerator<SourceRow[]>,
  close: () => void | Promise<void>,
): AsyncIterableIterator<SourceRow[]> {
  let closed = false;
  const done = async () => {
    if (!closed) {
      closed = true;
      await close();
    }
  };
  const it: AsyncIterableIterator<SourceRow[]> = {
    async next() {
      try {
        const r = await gen.next();
        if (r.done) await done();
        return r;
      } catch (err) {
        await done().catch(() => {});
        throw err;
      }
    },
    async return(value?: unknown) {
      await done();
      await gen.return(undefined).catch(() => {});
      return { done: true, value: value as SourceRow[] };
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}
