// JSON sources: a document holding an array of records (at its top or at a dotted path such as
// `Records`), or NDJSON (one record a line). Each record is flattened to cells: nested objects
// become dotted columns (`Agent.Username`), arrays of plain values are joined with ', ', other
// arrays are kept as (shortened) JSON text. The columns are the union of every record's keys,
// first seen first: for NDJSON a first pass over the file gathers them, a second hands rows on.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { SourceError, type SourceRow } from '../ingest/sources';
import type { Format } from './mapping';
import type { OpenOptions, Table } from './read';
import { bomOf, CHUNK_BYTES, closableRows, decodeText, DecodeError, fmt, locate, utf8ErrorAt } from './read-text';

type JsonFormat = Extract<Format, { type: 'json' }>;
type NdjsonFormat = Extract<Format, { type: 'ndjson' }>;

const BATCH = 1000;
/** Most columns a file's records may make between them. */
export const MAX_COLUMNS = 10_000;
/** An array of objects (or nested arrays) is kept as JSON text of at most this many characters. */
export const ARRAY_TEXT = 1000;
/** Objects nested deeper than this are kept as JSON text rather than more columns. */
const MAX_DEPTH = 32;
/** The longest NDJSON line read, in characters. */
const MAX_LINE = 64 * 1024 * 1024;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/**
 * JSON text of a value, at most `max` characters (then '…'), never recursing without bound: a
 * value nested 100,000 deep does not overflow the stack, it is cut short.
 */
export function shortJson(value: unknown, max = ARRAY_TEXT): string {
  let out = '';
  const put = (s: string) => {
    out += s;
    return out.length <= max;
  };
  const walk = (v: unknown, depth: number): boolean => {
    if (v === null || typeof v !== 'object') return put(JSON.stringify(v) ?? 'null');
    if (depth > 64) return put(Array.isArray(v) ? '[…]' : '{…}');
    if (Array.isArray(v)) {
      if (!put('[')) return false;
      for (let i = 0; i < v.length; i++) {
        if (i > 0 && !put(',')) return false;
        if (!walk(v[i], depth + 1)) return false;
      }
      return put(']');
    }
    if (!put('{')) return false;
    let i = 0;
    for (const k of Object.keys(v)) {
      if (i++ > 0 && !put(',')) return false;
      if (!put(`${JSON.stringify(k)}:`)) return false;
      if (!walk((v as Record<string, unknown>)[k], depth + 1)) return false;
    }
    return put('}');
  };
  return walk(value, 0) ? out : `${out.slice(0, max - 1)}…`;
}

function scalarText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  return String(v);
}

function arrayText(v: unknown[]): string {
  if (v.every((x) => x === null || typeof x !== 'object')) {
    const text = v.map(scalarText).join(', ');
    return text.length > ARRAY_TEXT ? `${text.slice(0, ARRAY_TEXT - 1)}…` : text;
  }
  return shortJson(v);
}

/** A key path seen in the records: `Agent` → `Username` is the column `Agent.Username`. */
interface KeyNode {
  name: string;
  children: Map<string, KeyNode> | null;
  /** Its column (in the order first seen) once it has held a value that is not an object; -1 before. */
  column: number;
}

/**
 * Flattens records into cells: nested objects become dotted columns (`Agent.Username`), arrays of
 * plain values are joined with ', ', other arrays are JSON text (at most 1,000 characters), null is
 * '', an empty object adds nothing. The keys are kept as a tree, so a key path seen before costs a
 * map lookup, not a string to build (a million records of a dozen keys each).
 *
 * First `add` every record (the union of their keys, first seen first), then `done`, then `row`.
 * A key that is only ever null where other records hold an object under it (`"Agent": null`
 * beside `Agent.Username`) is left out: it would be a column that is always empty.
 */
export class Flattener {
  private readonly root: KeyNode = { name: '', children: new Map(), column: -1 };
  private readonly byName = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly nonNull: boolean[] = [];
  /** Provisional column → its place in `columns` (-1: left out). */
  private place = new Int32Array(0);
  columns: string[] = [];
  /** Per column, the record that last wrote it (a dotted key and a nested one of the same name: the first wins). */
  private stamp = new Int32Array(0);
  private generation = 0;

  add(record: Record<string, unknown>, row: number) {
    this.collect(record, this.root, 0, row);
  }

  private column(node: KeyNode, row: number): number {
    if (node.column === -1) {
      let c = this.byName.get(node.name);
      if (c === undefined) {
        if (this.names.length >= MAX_COLUMNS)
          throw new SourceError(
            row,
            `the records have more than ${fmt(MAX_COLUMNS)} different keys between them (at row ${fmt(row)}): this is not a table of records`,
          );
        c = this.names.length;
        this.names.push(node.name);
        this.nonNull.push(false);
        this.byName.set(node.name, c);
      }
      node.column = c;
    }
    return node.column;
  }

  private collect(obj: Record<string, unknown>, parent: KeyNode, depth: number, row: number) {
    const children = (parent.children ??= new Map());
    for (const key of Object.keys(obj)) {
      let node = children.get(key);
      if (!node) {
        node = { name: parent === this.root ? key : `${parent.name}.${key}`, children: null, column: -1 };
        children.set(key, node);
      }
      const v = obj[key];
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < MAX_DEPTH) {
        this.collect(v as Record<string, unknown>, node, depth + 1, row);
      } else {
        const c = this.column(node, row);
        if (v !== null && v !== undefined) this.nonNull[c] = true;
      }
    }
  }

  done(): string[] {
    const parents = new Set<string>();
    for (const name of this.names)
      for (let i = name.indexOf('.'); i !== -1; i = name.indexOf('.', i + 1)) parents.add(name.slice(0, i));
    this.place = new Int32Array(this.names.length);
    this.columns = [];
    this.names.forEach((name, c) => {
      this.place[c] = !this.nonNull[c] && parents.has(name) ? -1 : this.columns.push(name) - 1;
    });
    this.stamp = new Int32Array(this.columns.length);
    return this.columns;
  }

  /** A record's row; a cell longer than `maxField` is left empty, with a problem. */
  row(record: Record<string, unknown>, row: number, maxField: number): SourceRow {
    const out: SourceRow = { row, cells: new Array<string>(this.columns.length).fill('') };
    this.generation = this.generation === 0x7fffffff ? 1 : this.generation + 1;
    this.write(record, this.root, 0, out, maxField);
    return out;
  }

  private write(obj: Record<string, unknown>, parent: KeyNode, depth: number, out: SourceRow, maxField: number) {
    const children = parent.children;
    if (!children) return;
    for (const key of Object.keys(obj)) {
      // A key no record had when the columns were gathered (the file changed between passes) is left out.
      const node = children.get(key);
      if (!node) continue;
      const v = obj[key];
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < MAX_DEPTH) {
        this.write(v as Record<string, unknown>, node, depth + 1, out, maxField);
        continue;
      }
      const c = node.column === -1 ? -1 : this.place[node.column]!;
      if (c === -1 || this.stamp[c] === this.generation) continue;
      this.stamp[c] = this.generation;
      const text =
        v === null || v === undefined
          ? ''
          : typeof v === 'string'
            ? v
            : Array.isArray(v)
              ? arrayText(v)
              : typeof v === 'object'
                ? shortJson(v)
                : String(v);
      if (text.length > maxField) {
        out.problem ??= {
          field: this.columns[c]!,
          value: text.slice(0, 40),
          reason: `longer than ${fmt(maxField)} characters`,
        };
        continue;
      }
      out.cells[c] = text;
    }
  }
}

/** JSON text of a whole file: UTF-8 (a BOM allowed), or UTF-16 with its BOM. */
async function readJsonText(path: string): Promise<string> {
  const bytes = await readFile(path);
  const bom = bomOf(bytes);
  if (bom && bom.encoding !== 'utf-8') return new TextDecoder(bom.encoding).decode(bytes.subarray(2));
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const i = utf8ErrorAt(body);
    const at = i + (bom ? 3 : 0);
    throw new SourceError(
      0,
      `the file is not valid UTF-8 (JSON files are UTF-8): byte 0x${body[i]?.toString(16).toUpperCase().padStart(2, '0')} at offset ${fmt(at)}`,
    );
  }
}

/** A JSON.parse message with the line and column of its position, when it gives one. */
function parseProblem(err: unknown, text: string): string {
  const message = err instanceof Error ? err.message : String(err);
  const m = /at position (\d+)/.exec(message);
  if (!m) return message;
  const pos = Number(m[1]);
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  const where = `line ${fmt(line)}, column ${fmt(pos - lineStart + 1)}`;
  return `${message.replace(/\s*\(line \d+ column \d+\)/, '')} (${where})`;
}

/** The value at a dotted path; a key may itself hold dots (the longest key that matches is taken). */
export function atPath(
  doc: unknown,
  path: string,
): { found: true; value: unknown } | { found: false; at: string; keys: string[] } {
  const parts = path.split('.');
  let value = doc;
  let i = 0;
  const walked: string[] = [];
  while (i < parts.length) {
    if (!isObject(value)) return { found: false, at: walked.join('.'), keys: [] };
    let j = parts.length;
    for (; j > i; j--) if (Object.hasOwn(value, parts.slice(i, j).join('.'))) break;
    if (j === i) return { found: false, at: walked.join('.'), keys: Object.keys(value) };
    const key = parts.slice(i, j).join('.');
    walked.push(key);
    value = value[key];
    i = j;
  }
  return { found: true, value };
}

/**
 * The first property (in document order, depth first through objects) holding a non-empty array
 * of objects: where an export keeps its records (`Records`, `data.items`).
 */
export function findRecordsPath(doc: unknown, depth = 0): string | null {
  if (!isObject(doc) || depth > 8) return null;
  for (const key of Object.keys(doc)) {
    const v = doc[key];
    if (Array.isArray(v) && v.some(isObject)) return key;
  }
  for (const key of Object.keys(doc)) {
    const inner = findRecordsPath(doc[key], depth + 1);
    if (inner !== null) return `${key}.${inner}`;
  }
  return null;
}

const listKeys = (keys: string[]) =>
  keys.length === 0
    ? 'no properties'
    : keys.length > 10
      ? `${keys.slice(0, 10).join(', ')} and ${fmt(keys.length - 10)} more`
      : keys.join(', ');

function recordsOf(doc: unknown, path: string | undefined): unknown[] {
  if (path) {
    const at = atPath(doc, path);
    if (!at.found) {
      const where = at.at ? `'${at.at}'` : 'the document';
      throw new SourceError(0, `the records path '${path}' is not in the document: ${where} has ${listKeys(at.keys)}`);
    }
    if (!Array.isArray(at.value)) throw new SourceError(0, `'${path}' is ${kindOf(at.value)}, not an array of records`);
    return at.value;
  }
  if (Array.isArray(doc)) return doc;
  if (isObject(doc)) {
    const arrays = Object.keys(doc).filter((k) => Array.isArray(doc[k]));
    if (arrays.length === 1) {
      const n = (doc[arrays[0]!] as unknown[]).length;
      throw new SourceError(
        0,
        `the document is an object, not an array of records: its property '${arrays[0]}' holds an array of ${fmt(n)}; set the records path to '${arrays[0]}'`,
      );
    }
    const deep = findRecordsPath(doc);
    if (deep)
      throw new SourceError(
        0,
        `the document is an object, not an array of records: '${deep}' holds an array of objects; set the records path to '${deep}'`,
      );
    if (arrays.length > 1)
      throw new SourceError(
        0,
        `the document is an object, not an array of records: set the records path to one of ${arrays.map((a) => `'${a}'`).join(', ')}`,
      );
    throw new SourceError(
      0,
      `the document is an object, not an array of records, and none of its properties holds an array (it has ${listKeys(Object.keys(doc))})`,
    );
  }
  throw new SourceError(0, `the document is ${kindOf(doc)}, not an array of records`);
}

export async function openJson(path: string, format: JsonFormat, options: OpenOptions): Promise<Table> {
  const text = await readJsonText(path);
  if (text.trim() === '')
    throw new SourceError(0, 'the file is empty: a JSON document with an array of records is expected');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new SourceError(0, `the file is not valid JSON: ${parseProblem(err, text)}`);
  }
  return tableOfRecords(format, recordsOf(doc, format.records), options);
}

/** Records already parsed (a webhook's body) as a table, as a JSON file holding them reads. */
export function tableOfRecords(format: Format, records: unknown[], options: OpenOptions = {}): Table {
  const flat = new Flattener();
  records.forEach((r, i) => {
    if (isObject(r)) flat.add(r, i + 1);
  });
  const columns = flat.done();
  const maxField = options.maxFieldLength ?? 1_000_000;
  async function* rows(): AsyncGenerator<SourceRow[]> {
    for (let i = 0; i < records.length; i += BATCH) {
      const batch: SourceRow[] = [];
      for (let k = i; k < Math.min(records.length, i + BATCH); k++) {
        const r = records[k];
        if (isObject(r)) batch.push(flat.row(r, k + 1, maxField));
        else
          batch.push({
            row: k + 1,
            cells: columns.map(() => ''),
            problem: {
              field: null,
              value: shortJson(r, 40),
              reason: `each record must be an object; this one is ${kindOf(r)}`,
            },
          });
      }
      yield batch;
    }
  }
  return { format, columns, rows: closableRows(rows(), () => {}) };
}

/**
 * A webhook's body as records, as the source's format reads a file: the records path's array,
 * or the document's array; a single object is one record. Throws SourceError.
 */
export function recordsOfBody(doc: unknown, format: Format): unknown[] {
  const path = format.type === 'json' ? format.records : undefined;
  if (!path && isObject(doc)) return [doc];
  return recordsOf(doc, path);
}

/** An NDJSON file's records with their line numbers, a chunk's worth at a time. Blank lines are skipped. */
async function* ndjsonLines(
  path: string,
  stream: AsyncIterable<Uint8Array>,
): AsyncGenerator<Array<{ line: number; record: Record<string, unknown> }>> {
  let pending = '';
  let line = 0;
  const parse = (text: string, at: number) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new SourceError(
        at,
        `line ${fmt(at)} is not valid JSON: ${msg.replace(/,? "(?:[^"\\]|\\.)*"(?:\.\.\.)? is not valid JSON$/, '')}`,
      );
    }
    if (!isObject(value))
      throw new SourceError(
        at,
        `line ${fmt(at)} is ${kindOf(value)}, not a JSON object: NDJSON has one record (an object) a line`,
      );
    return value;
  };
  try {
    for await (const text of decodeText(stream, 'utf-8')) {
      const out: Array<{ line: number; record: Record<string, unknown> }> = [];
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        let s = pending ? pending + text.slice(start, nl) : text.slice(start, nl);
        pending = '';
        start = nl + 1;
        line++;
        if (s.endsWith('\r')) s = s.slice(0, -1);
        if (line === 1 && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
        if (s.trim() === '') continue;
        out.push({ line, record: parse(s, line) });
      }
      pending += text.slice(start);
      if (pending.length > MAX_LINE)
        throw new SourceError(line + 1, `line ${fmt(line + 1)} is longer than ${fmt(MAX_LINE)} characters`);
      if (out.length > 0) yield out;
    }
    line++;
    if (pending.endsWith('\r')) pending = pending.slice(0, -1);
    if (pending.trim() !== '') yield [{ line, record: parse(pending, line) }];
  } catch (err) {
    if (err instanceof DecodeError) {
      const { line: at, reason } = await locate(path, err, 'utf-8');
      throw new SourceError(at, reason);
    }
    throw err;
  }
}

export async function openNdjson(path: string, format: NdjsonFormat, options: OpenOptions): Promise<Table> {
  // First pass: the union of the keys (and every line checked, so the second pass meets no error).
  const flat = new Flattener();
  let records = 0;
  for await (const batch of ndjsonLines(path, createReadStream(path, { highWaterMark: CHUNK_BYTES }))) {
    for (const { line, record } of batch) flat.add(record, line);
    records += batch.length;
  }
  const columns = flat.done();
  if (records === 0) throw new SourceError(1, 'the file is empty: NDJSON has one record (a JSON object) a line');
  const maxField = options.maxFieldLength ?? 1_000_000;
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  async function* rows(): AsyncGenerator<SourceRow[]> {
    for await (const batch of ndjsonLines(path, stream)) {
      yield batch.map(({ line, record }) => flat.row(record, line, maxField));
    }
  }
  return {
    format,
    columns,
    rows: closableRows(rows(), () => {
      stream.destroy();
    }),
  };
}
