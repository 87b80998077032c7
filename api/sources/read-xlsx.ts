// An XLSX source: one sheet (by name; the workbook's first by default), its first non-empty row the
// header, every cell as the text a person would type for it. Numbers as String(n); booleans
// 'true'/'false'; a date-time 'YYYY-MM-DD HH:MM:SS' (the wall clock Excel shows, no zone), a date at
// midnight 'YYYY-MM-DD', a time or duration 'H:MM:SS'; rich text as its plain text, a formula as its
// result, a hyperlink as its text, an error as '#N/A' etc.
//
// The archive is opened with JSZip (by its central directory, as exceljs's own whole-workbook reader
// does) and the sheet's XML streamed, row by row, through exceljs's streaming worksheet reader, with
// exceljs's parsers for the workbook, its relationships, shared strings and styles. exceljs's
// streaming *workbook* reader is not used: it reads the archive front to back through unzipper's
// Parse, which on Node 18+ intermittently drops entries (a known exceljs bug: here it lost
// xl/workbook.xml now and then, or the sheet itself), and it decodes UTF-8 chunk by chunk, so a
// character split between two chunks was garbled. The workbook is in memory compressed (the caller
// bounds its size: SOURCES.xlsxBytes); the sheet is inflated and parsed as it is read.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import type ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { SourceError, type SourceRow } from '../ingest/sources';
import type { Format } from './mapping';
import type { OpenOptions, Table } from './read';
import { closableRows, fmt } from './read-text';

type XlsxFormat = Extract<Format, { type: 'xlsx' }>;

// exceljs's parts (CommonJS, no typings for these paths). Not named `require`, so the server bundle
// (esbuild, packages external) leaves the calls for Node to resolve.
const load = createRequire(import.meta.url);
interface Xform<M> {
  parseStream(chunks: AsyncIterable<string>): Promise<M>;
  model: M;
}
type XformClass<M> = new () => Xform<M>;
const WorkbookXform = load('exceljs/lib/xlsx/xform/book/workbook-xform.js') as XformClass<{
  sheets?: Array<{ name: string; id: number; rId: string; state?: string }>;
  properties?: { date1904?: boolean };
}>;
const RelationshipsXform = load('exceljs/lib/xlsx/xform/core/relationships-xform.js') as XformClass<
  Array<{ Id: string; Target: string; Type?: string }>
>;
const SharedStringsXform = load('exceljs/lib/xlsx/xform/strings/shared-strings-xform.js') as XformClass<{
  values: unknown[];
}>;
const StylesXform = load('exceljs/lib/xlsx/xform/style/styles-xform.js') as new () => Xform<unknown> & { init(): void };
const WorksheetReader = load('exceljs/lib/stream/xlsx/worksheet-reader.js') as new (options: {
  workbook: { sharedStrings: unknown[]; styles: unknown; properties: { model: { date1904: boolean } } };
  id: number;
  iterator: AsyncIterable<string>;
  options: { worksheets: 'emit'; hyperlinks: 'ignore' };
}) => { [Symbol.asyncIterator](): AsyncIterator<ExcelJS.Row> };

const BATCH = 1000;

interface SheetEntry {
  name: string;
  /** The part's path in the archive (`xl/worksheets/sheet1.xml`), or null for a chart sheet or a broken reference. */
  part: string | null;
}

interface Workbook {
  zip: JSZip;
  sheets: SheetEntry[];
  date1904: boolean;
}

/** An archive entry by its path (some writers start paths with '/'). */
function entry(zip: JSZip, path: string): JSZip.JSZipObject | null {
  return zip.file(path) ?? zip.file(`/${path}`);
}

/**
 * An entry's text, a chunk at a time, decoded as a whole (a character split between two inflated
 * chunks is joined, not garbled).
 */
/**
 * Inflated bytes a workbook's parts may hold, counted as they are inflated (a ZIP's declared sizes
 * can lie): a 64 MB upload can inflate a thousandfold. The sheet itself streams (its rows are
 * bounded by the ingest's row limit); the parts read whole into memory are bounded here.
 */
export const XLSX_PART_BYTES = { sheet: 4 * 1024 ** 3, sharedStrings: 256 * 1024 ** 2, other: 16 * 1024 ** 2 } as const;

async function* text(
  file: JSZip.JSZipObject,
  release?: (close: () => void) => void,
  maxBytes: number = XLSX_PART_BYTES.other,
): AsyncGenerator<string> {
  // JSZip's stream is an old readable-stream: piped into a Node stream, it can be iterated.
  const source = file.nodeStream('nodebuffer');
  const stream = source.pipe(new PassThrough());
  source.on('error', (err: Error) => stream.destroy(err));
  release?.(() => {
    source.unpipe(stream);
    (source as unknown as { destroy?: () => void }).destroy?.();
    (source as unknown as { pause?: () => void }).pause?.();
    stream.destroy();
  });
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    if (bytes > maxBytes) {
      stream.destroy();
      throw new SourceError(
        0,
        `the workbook's part ${file.name} inflates to more than ${(maxBytes / 1024 ** 2).toLocaleString('en')} MB: it is not a workbook this server reads (save the sheet as CSV instead)`,
      );
    }
    const s = decoder.decode(chunk, { stream: true });
    if (s) yield s;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

async function parse<M>(Xf: XformClass<M>, file: JSZip.JSZipObject, maxBytes?: number): Promise<M> {
  const xf = new Xf();
  await xf.parseStream(text(file, undefined, maxBytes));
  return xf.model;
}

function notWorkbook(err: unknown): SourceError {
  if (err instanceof SourceError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new SourceError(
    0,
    `the file is not an Excel workbook (.xlsx): ${/end of central directory|signature|zip/i.test(msg) ? 'it is not a ZIP archive' : msg}`,
  );
}

/** Opens the archive and reads the sheet list (workbook.xml and its relationships). */
async function openWorkbook(path: string): Promise<Workbook> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(await readFile(path));
  } catch (err) {
    throw notWorkbook(err);
  }
  const book = entry(zip, 'xl/workbook.xml');
  if (!book) throw new SourceError(0, 'the file is a ZIP archive but not an Excel workbook: it has no xl/workbook.xml');
  try {
    const model = await parse(WorkbookXform, book);
    const relsFile = entry(zip, 'xl/_rels/workbook.xml.rels');
    const rels = relsFile ? await parse(RelationshipsXform, relsFile) : [];
    const sheets = (model?.sheets ?? [])
      .map((s): SheetEntry & { chart: boolean } => {
        const rel = (rels ?? []).find((r) => r.Id === s.rId);
        // Targets are relative to xl/ (`worksheets/sheet1.xml`) or absolute (`/xl/worksheets/sheet1.xml`).
        const target = rel ? rel.Target.trim() : null;
        const part = target === null ? null : target.startsWith('/') ? target.slice(1) : `xl/${target}`;
        return { name: s.name, part, chart: !!part && !/\/worksheets\//.test(part) };
      })
      .filter((s) => !s.chart)
      .map(({ name, part }) => ({ name, part }));
    return { zip, sheets, date1904: !!model?.properties?.date1904 };
  } catch (err) {
    throw notWorkbook(err);
  }
}

/** The names of the workbook's worksheets, in tab order. */
export async function listSheets(path: string): Promise<string[]> {
  return (await openWorkbook(path)).sheets.map((s) => s.name);
}

/** The sheet to read: the one named (exactly, else the only one matching in any case), or the first. */
function chooseSheet(sheets: SheetEntry[], wanted: string | undefined): SheetEntry {
  if (sheets.length === 0) throw new SourceError(0, 'the workbook has no worksheets');
  if (wanted === undefined) return sheets[0]!;
  const exact = sheets.find((s) => s.name === wanted);
  if (exact) return exact;
  const loose = sheets.filter((s) => s.name.trim().toLowerCase() === wanted.trim().toLowerCase());
  if (loose.length === 1) return loose[0]!;
  throw new SourceError(0, `sheet '${wanted}' not found: the workbook has ${sheets.map((s) => s.name).join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// Cell values as text

/** Whether a number format shows a date or time: y m d h s outside quotes, brackets and escapes. */
export function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  // Quoted text, [colours] and [h] brackets, escaped characters (\h) and spacing (_x, *x) are not codes.
  const f = numFmt
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*]/g, '')
    .replace(/[\\_*]./g, '');
  return /[ymdhs]/i.test(f) || isElapsed(numFmt);
}

/** An elapsed-time format: `[h]:mm:ss`, `[mm]:ss`. */
const isElapsed = (numFmt: string | undefined) => !!numFmt && /\[(h+|m+|s+)]/i.test(numFmt);

const DAY = 86_400_000;
const pad2 = (n: number) => String(n).padStart(2, '0');

/** A serial day number of the workbook's date system as milliseconds on the UTC clock (the wall clock). */
export function serialToMs(serial: number, date1904: boolean): number {
  return Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * DAY);
}

/**
 * A date, time or duration as text. `ms` is the wall clock Excel shows, on the UTC clock (as exceljs
 * hands dates on). A value on the date system's first two days (1899-12-30/31; 1904-01-01/02) or
 * in an elapsed format is a time or duration: hours may pass 24 (`36:00:00`).
 */
export function dateText(ms: number, numFmt: string | undefined, date1904: boolean): string {
  const base = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  const secs = Math.round(ms / 1000);
  const baseSecs = base / 1000;
  if (isElapsed(numFmt) || (secs >= baseSecs && secs < baseSecs + 2 * 86_400)) {
    let total = secs - baseSecs;
    const sign = total < 0 ? '-' : '';
    total = Math.abs(total);
    return `${sign}${Math.floor(total / 3600)}:${pad2(Math.floor(total / 60) % 60)}:${pad2(total % 60)}`;
  }
  const d = new Date(secs * 1000);
  const y = d.getUTCFullYear();
  const date = `${y < 0 ? '-' : ''}${String(Math.abs(y)).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  if (secs % 86_400 === 0) return date;
  return `${date} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** A cell's value as text; see the top of this file. */
export function cellText(value: unknown, numFmt: string | undefined, date1904: boolean): string {
  if (value === null || value === undefined) return '';
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      if (!Number.isFinite(value)) return '';
      return isDateFormat(numFmt) ? dateText(serialToMs(value, date1904), numFmt, date1904) : String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value instanceof Date)
        return Number.isNaN(value.getTime()) ? '' : dateText(value.getTime(), numFmt, date1904);
      const v = value as Record<string, unknown>;
      if (Array.isArray(v.richText))
        return (v.richText as Array<{ text?: unknown }>)
          .map((r) => (typeof r.text === 'string' ? r.text : ''))
          .join('');
      if ('formula' in v || 'sharedFormula' in v) return cellText(v.result, numFmt, date1904);
      if ('error' in v) return typeof v.error === 'string' ? v.error : '';
      if ('text' in v) return cellText(v.text, numFmt, date1904);
      return '';
    }
    default:
      return String(value);
  }
}

/** A row's cells as text, column 1 first, up to its last non-empty cell (at least `width`). */
function rowCells(row: ExcelJS.Row, width: number, date1904: boolean): string[] {
  const cells: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell, col) => {
    const text = cellText(cell.value, cell.numFmt, date1904);
    if (text === '') return;
    while (cells.length < col - 1) cells.push('');
    cells[col - 1] = text;
  });
  if (cells.length === 0) return cells;
  while (cells.length < width) cells.push('');
  return cells;
}

// ---------------------------------------------------------------------------------------------

export async function openXlsx(path: string, format: XlsxFormat, options: OpenOptions): Promise<Table> {
  const book = await openWorkbook(path);
  const sheet = chooseSheet(book.sheets, format.sheet);
  const part = sheet.part ? entry(book.zip, sheet.part) : null;
  if (!part)
    throw new SourceError(
      0,
      `sheet '${sheet.name}' is missing from the workbook (no part ${sheet.part ?? 'referenced'})`,
    );
  const maxField = options.maxFieldLength ?? 1_000_000;
  const { date1904 } = book;

  let sharedStrings: unknown[] = [];
  const styles = new StylesXform();
  try {
    const strings = entry(book.zip, 'xl/sharedStrings.xml');
    if (strings) sharedStrings = (await parse(SharedStringsXform, strings, XLSX_PART_BYTES.sharedStrings)).values;
    const stylesFile = entry(book.zip, 'xl/styles.xml');
    if (stylesFile) await styles.parseStream(text(stylesFile));
    else styles.init();
  } catch (err) {
    throw notWorkbook(err);
  }

  let release: (() => void) | undefined;
  const close = () => release?.();
  const reader = new WorksheetReader({
    workbook: { sharedStrings, styles, properties: { model: { date1904 } } },
    id: 1,
    iterator: text(part, (f) => (release = f), XLSX_PART_BYTES.sheet),
    options: { worksheets: 'emit', hyperlinks: 'ignore' },
  });
  const rowsIt = reader[Symbol.asyncIterator]();

  const check = (r: SourceRow): SourceRow => {
    if (r.cells.some((c) => c.length > maxField))
      throw new SourceError(r.row, `a cell is longer than ${fmt(maxField)} characters`);
    return r;
  };
  const unreadable = (err: unknown) =>
    err instanceof SourceError
      ? err
      : new SourceError(
          0,
          `sheet '${sheet.name}' could not be read: ${err instanceof Error ? err.message : String(err)}`,
        );

  // The header: the first row with anything in it.
  let columns: string[] | null = null;
  try {
    for (;;) {
      const next = await rowsIt.next();
      if (next.done) break;
      const cells = rowCells(next.value, 0, date1904);
      if (cells.length > 0) {
        columns = check({ row: next.value.number, cells }).cells;
        break;
      }
    }
  } catch (err) {
    close();
    throw unreadable(err);
  }
  if (!columns) {
    close();
    throw new SourceError(1, `sheet '${sheet.name}' is empty: its first non-empty row must name the columns`);
  }
  const width = columns.length;

  async function* rows(): AsyncGenerator<SourceRow[]> {
    let batch: SourceRow[] = [];
    try {
      for (;;) {
        const next = await rowsIt.next();
        if (next.done) break;
        const cells = rowCells(next.value, width, date1904);
        if (cells.length === 0) continue;
        batch.push(check({ row: next.value.number, cells }));
        if (batch.length >= BATCH) {
          yield batch;
          batch = [];
        }
      }
    } catch (err) {
      throw unreadable(err);
    }
    if (batch.length > 0) yield batch;
  }
  return { format, columns, rows: closableRows(rows(), close) };
}
