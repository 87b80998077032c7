// Which format a file is in, from its first bytes (up to 64 KB), its content type and its name:
// XLSX by the ZIP signature, JSON by `[` or `{` (and where its records are), NDJSON by several
// lines each an object, CSV otherwise (its encoding and delimiter). Every conclusion comes with its
// evidence in plain sentences with figures, for the person checking the guess.
import { open } from 'node:fs/promises';
import { SourceError } from '../ingest/sources';
import type { Format } from './mapping';
import { atPath } from './read-json';
import { bomOf, ENCODING_NAMES, fmt, utf8ErrorAt, type TextEncoding } from './read-text';
import { listSheets } from './read-xlsx';

export interface Detected {
  format: Format;
  evidence: string[];
  /** XLSX: the workbook's worksheets in tab order. */
  sheets?: string[];
}

const SAMPLE_BYTES = 64 * 1024;
const SAMPLE_LINES = 50;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DELIMITERS = [
  { delimiter: ',', name: 'comma' },
  { delimiter: ';', name: 'semicolon' },
  { delimiter: '\t', name: 'tab' },
  { delimiter: '|', name: 'pipe' },
] as const;
type Delimiter = (typeof DELIMITERS)[number]['delimiter'];

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Field counts of the first records of a text sample (quotes respected: a quote opens only at a field's start). */
export function fieldCounts(text: string, delimiter: string, complete: boolean, max = SAMPLE_LINES): number[] {
  const counts: number[] = [];
  const d = delimiter.charCodeAt(0);
  let fields = 1;
  let content = false;
  let inQuotes = false;
  let fieldStart = true;
  const n = text.length;
  for (let i = 0; i < n && counts.length < max; i++) {
    const c = text.charCodeAt(i);
    if (inQuotes) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) i++;
        else inQuotes = false;
      }
      continue;
    }
    if (c === 34 && fieldStart) {
      inQuotes = true;
      content = true;
      fieldStart = false;
    } else if (c === d) {
      fields++;
      content = true;
      fieldStart = true;
    } else if (c === 10 || c === 13) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      if (content) counts.push(fields);
      fields = 1;
      content = false;
      fieldStart = true;
    } else {
      content = true;
      fieldStart = false;
    }
  }
  if (complete && content && !inQuotes && counts.length < max) counts.push(fields);
  return counts;
}

interface Score {
  delimiter: Delimiter;
  name: string;
  lines: number;
  /** The most common field count (the larger on a tie). */
  fields: number;
  /** Lines with that many fields. */
  consistent: number;
}

function score(text: string, complete: boolean): Score[] {
  return DELIMITERS.map(({ delimiter, name }) => {
    const counts = fieldCounts(text, delimiter, complete);
    const freq = new Map<number, number>();
    for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
    let fields = 1;
    let consistent = 0;
    for (const [f, k] of freq) {
      if (k > consistent || (k === consistent && f > fields)) {
        fields = f;
        consistent = k;
      }
    }
    return { delimiter, name, lines: counts.length, fields, consistent };
  });
}

const plural = (n: number, one: string, many = `${one}s`) => `${fmt(n)} ${n === 1 ? one : many}`;

/**
 * The dotted path of the first array of objects in a (possibly cut short) JSON text, found by
 * scanning its tokens: objects entered by their keys, arrays only when their first element opens
 * an object. Null when the text has none (or the path passes through an array).
 */
export function scanRecordsPath(text: string): string | null {
  const stack: Array<{ type: 'object' | 'array'; key: string | null }> = [];
  let key: string | null = null;
  const n = text.length;
  const skipWs = (i: number) => {
    while (i < n && /\s/.test(text[i]!)) i++;
    return i;
  };
  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= n) return null;
      const top = stack[stack.length - 1];
      const after = skipWs(j + 1);
      if (top?.type === 'object' && text[after] === ':') {
        try {
          key = JSON.parse(text.slice(i, j + 1)) as string;
        } catch {
          return null;
        }
        i = after;
      } else i = j;
      continue;
    }
    if (c === '{') {
      stack.push({ type: 'object', key });
      key = null;
    } else if (c === '[') {
      if (key !== null && stack.every((s) => s.type === 'object') && text[skipWs(i + 1)] === '{') {
        return [...stack.slice(1).map((s) => s.key), key].join('.');
      }
      stack.push({ type: 'array', key });
      key = null;
    } else if (c === '}' || c === ']') {
      stack.pop();
      key = null;
    } else if (c === ',') key = null;
  }
  return null;
}

/** Decodes the sample; the evidence says which encoding and why. */
function sampleEncoding(b: Uint8Array, complete: boolean): { encoding: TextEncoding; bom: number; evidence: string } {
  const bom = bomOf(b);
  if (bom) {
    const bytes = [...b.subarray(0, bom.length)].map((x) => x.toString(16).toUpperCase().padStart(2, '0')).join(' ');
    return {
      encoding: bom.encoding,
      bom: bom.length,
      evidence: `${ENCODING_NAMES[bom.encoding]}: the file starts with the byte-order mark ${bytes}`,
    };
  }
  // UTF-16 without a byte-order mark: text whose every second byte is zero.
  let even = 0;
  let odd = 0;
  const span = Math.min(b.length, 4096) & ~1;
  for (let i = 0; i < span; i++) if (b[i] === 0) i % 2 === 0 ? even++ : odd++;
  const units = span / 2;
  if (units >= 2 && odd >= units * 0.3 && even < units * 0.02) {
    return {
      encoding: 'utf-16le',
      bom: 0,
      evidence: `UTF-16 LE: no byte-order mark, but ${fmt(odd)} of the first ${fmt(units)} character pairs end in a zero byte`,
    };
  }
  if (units >= 2 && even >= units * 0.3 && odd < units * 0.02) {
    return {
      encoding: 'utf-16be',
      bom: 0,
      evidence: `UTF-16 BE: no byte-order mark, but ${fmt(even)} of the first ${fmt(units)} character pairs start with a zero byte`,
    };
  }
  const nul = b.indexOf(0);
  if (nul !== -1)
    throw new SourceError(
      0,
      `the file looks binary: it has a NUL byte at offset ${fmt(nul)}, so it is not CSV or JSON text (nor an .xlsx workbook)`,
    );
  const bad = utf8ErrorAt(b, 0, complete);
  if (bad === -1) {
    const ascii = b.every((x) => x < 0x80);
    const what = complete ? `all ${plural(b.length, 'byte')} of the file` : `the first ${plural(b.length, 'byte')}`;
    return {
      encoding: 'utf-8',
      bom: 0,
      evidence: ascii ? `UTF-8: ${what} are plain ASCII` : `UTF-8: ${what} are valid UTF-8 (no byte-order mark)`,
    };
  }
  return {
    encoding: 'windows-1252',
    bom: 0,
    evidence: `Windows-1252: not valid UTF-8 (byte 0x${b[bad]!.toString(16).toUpperCase().padStart(2, '0')} at offset ${fmt(bad)})`,
  };
}

/** Guesses a file's format; a file that is none of them (empty, binary, an old .xls) is a SourceError. */
export async function detectFormat(
  path: string,
  hint: { contentType?: string; filename?: string } = {},
): Promise<Detected> {
  const fh = await open(path, 'r');
  let b: Uint8Array;
  let size: number;
  try {
    size = (await fh.stat()).size;
    const buf = Buffer.alloc(Math.min(size, SAMPLE_BYTES));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    b = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  if (size === 0) throw new SourceError(0, 'the file is empty');
  const complete = b.length >= size;
  const contentType = hint.contentType?.split(';')[0]!.trim().toLowerCase() ?? '';
  const filename = hint.filename?.trim() ?? '';
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase() ?? '';
  const evidence: string[] = [];

  // XLSX: a ZIP archive.
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) {
    evidence.push('XLSX: the file starts with the ZIP signature PK\\x03\\x04, as an .xlsx workbook does');
    if (contentType === XLSX_TYPE) evidence.push('the content type is that of an Excel workbook (.xlsx)');
    if (ext === 'xlsx' || ext === 'xlsm') evidence.push(`the name ends in .${ext}`);
    const sheets = await listSheets(path);
    if (sheets.length === 0) throw new SourceError(0, 'the workbook has no worksheets');
    evidence.push(
      `the workbook has ${plural(sheets.length, 'sheet')} (${sheets.join(', ')}); the first, '${sheets[0]}', is read unless another is chosen`,
    );
    return { format: { type: 'xlsx', skip_rows: 0 }, evidence, sheets };
  }
  if (b.length >= 4 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) {
    throw new SourceError(
      0,
      'the file is an Excel 97–2003 workbook (.xls), which cannot be read: save it as .xlsx or CSV',
    );
  }
  if (contentType === XLSX_TYPE || ext === 'xlsx')
    evidence.push(`named or typed as an .xlsx workbook, but not a ZIP archive: read as text`);

  const enc = sampleEncoding(b, complete);
  let text = new TextDecoder(enc.encoding, { ignoreBOM: true }).decode(b.subarray(enc.bom));
  // A cut-off sample may end in the middle of a character: the decoder's replacement is harmless.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const start = text.search(/\S/);
  if (start === -1) throw new SourceError(0, 'the file holds only blank space');

  // JSON and NDJSON.
  const lead = text[start];
  if (lead === '[' || lead === '{') {
    const jsonEvidence =
      enc.encoding === 'utf-8' || enc.bom
        ? []
        : [`note: JSON must be UTF-8, and this is ${ENCODING_NAMES[enc.encoding]}`];
    const named =
      ext === 'ndjson' ||
      ext === 'jsonl' ||
      contentType === 'application/x-ndjson' ||
      contentType === 'application/jsonl';
    if (lead === '{') {
      // NDJSON: each line one object (a cut-off last line is left out).
      const lines = text.split('\n');
      if (!complete) lines.pop();
      const filled = lines
        .map((l) => l.trim())
        .filter((l) => l !== '')
        .slice(0, SAMPLE_LINES);
      let objects = 0;
      for (const l of filled) {
        try {
          if (isObject(JSON.parse(l))) objects++;
        } catch {
          // not a line of its own
        }
      }
      const oneLineRecords = filled.length === 1 && objects === 1 ? scanRecordsPath(filled[0]!) : null;
      if (objects >= 2 && objects === filled.length) {
        evidence.push(
          `NDJSON: ${fmt(objects)} of ${fmt(filled.length)} sample lines are each a JSON object`,
          ...jsonEvidence,
        );
        if (named) evidence.push(`the ${ext ? `name ends in .${ext}` : `content type is ${contentType}`}`);
        return { format: { type: 'ndjson' }, evidence };
      }
      if (filled.length === 1 && objects === 1 && complete && oneLineRecords === null) {
        evidence.push(
          'NDJSON: the file is a single JSON object on one line, holding no array of records: read as one record',
          ...jsonEvidence,
        );
        return { format: { type: 'ndjson' }, evidence };
      }
      const records = scanRecordsPath(text.slice(start));
      if (records) {
        let count = '';
        if (complete) {
          try {
            const at = atPath(JSON.parse(text), records);
            if (at.found && Array.isArray(at.value)) count = ` (${plural(at.value.length, 'record')})`;
          } catch {
            evidence.push('note: the file is not valid JSON as a whole');
          }
        }
        evidence.unshift(
          `JSON: the document is an object; its property '${records}' holds an array of objects${count}`,
        );
        evidence.push(...jsonEvidence);
        return { format: { type: 'json', records }, evidence };
      }
      evidence.unshift(
        `JSON: the text starts with '{', but no array of objects was found in ${complete ? 'the document' : `the first ${plural(b.length, 'byte')}`}: set the records path by hand`,
      );
      evidence.push(...jsonEvidence);
      return { format: { type: 'json' }, evidence };
    }
    let detail = '';
    if (complete) {
      try {
        const doc = JSON.parse(text) as unknown[];
        const objects = doc.filter(isObject).length;
        detail = ` of ${plural(doc.length, 'record')}${objects < doc.length ? ` (${fmt(objects)} of them objects)` : ''}`;
      } catch {
        evidence.push('note: the file is not valid JSON as a whole');
      }
    }
    evidence.unshift(`JSON: the text starts with '[', an array${detail}`);
    evidence.push(...jsonEvidence);
    return { format: { type: 'json' }, evidence };
  }
  if (contentType === 'application/json' || ext === 'json' || ext === 'ndjson' || ext === 'jsonl') {
    evidence.push(`named or typed as JSON, but the text does not start with '[' or '{': read as CSV`);
  }

  // CSV: the delimiter giving the most lines of one field count (more than one field).
  const scores = score(text, complete)
    .filter((s) => s.fields > 1)
    .sort((x, y) => y.consistent - x.consistent || y.fields - x.fields);
  const preferTab = ext === 'tsv' || ext === 'tab' || contentType === 'text/tab-separated-values';
  let best = scores[0];
  if (preferTab && best && best.delimiter !== '\t') {
    const tab = scores.find((s) => s.delimiter === '\t' && s.consistent === best!.consistent);
    if (tab) best = tab;
  }
  const csvEvidence: string[] = [];
  if (best) {
    csvEvidence.push(
      `${best.name}-separated: ${fmt(best.consistent)} of ${plural(best.lines, 'sample line')} have ${plural(best.fields, 'field')}`,
    );
    const next = scores.find((s) => s !== best);
    if (next)
      csvEvidence.push(
        `${next.name}s: ${fmt(next.consistent)} of ${plural(next.lines, 'line')} have ${plural(next.fields, 'field')}`,
      );
  } else {
    csvEvidence.push(
      'one column: no separator (comma, semicolon, tab, pipe) splits the sample lines into more than one field',
    );
  }
  csvEvidence.push(enc.evidence);
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt' || contentType === 'text/csv')
    csvEvidence.push(`the ${ext ? `name ends in .${ext}` : `content type is ${contentType}`}`);
  const delimiter: Delimiter = best?.delimiter ?? (preferTab ? '\t' : ',');
  return {
    format: { type: 'csv', delimiter, encoding: enc.encoding, skip_rows: 0 },
    evidence: [...csvEvidence, ...evidence],
  };
}
