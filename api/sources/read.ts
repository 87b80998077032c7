// Reading a source's file as a table: the columns, then the rows a batch at a time, whatever the
// format (CSV of any delimiter and encoding, XLSX, a JSON document, NDJSON). Row numbers are the
// ones a person finds in the file: a CSV's line (header row 1), a spreadsheet's row number, a JSON
// array's record (first record 1), an NDJSON line. Problems are SourceErrors in plain words.
//
// CSV and NDJSON are streamed (a million rows are never in memory at once); XLSX is streamed row by
// row through exceljs; a JSON document is parsed whole (the caller bounds its size).
import type { SourceRow } from '../ingest/sources';
import type { Format } from './mapping';
import { openCsv } from './read-csv';
import { openJson, openNdjson } from './read-json';
import { openXlsx } from './read-xlsx';

export { detectFormat, type Detected } from './read-detect';
export { listSheets } from './read-xlsx';

export interface Table {
  format: Format;
  /** The header's names (CSV, XLSX) or the union of the records' flattened keys (JSON, NDJSON), first seen first. */
  columns: string[];
  /**
   * The data rows, a batch at a time. Its `return()` releases the file even when no row was read
   * (a `for await` that stops early calls it).
   */
  rows: AsyncIterable<SourceRow[]>;
}

export interface OpenOptions {
  /** Longest cell accepted, in characters (CSV: an error; JSON: a problem on the row). Default 1,000,000. */
  maxFieldLength?: number;
}

/** Opens a file on disk as a table in the given format; the header (or first pass) is read before it answers. */
export async function openTable(path: string, format: Format, options: OpenOptions = {}): Promise<Table> {
  switch (format.type) {
    case 'csv':
      return openCsv(path, format, options);
    case 'xlsx':
      return openXlsx(path, format, options);
    case 'json':
      return openJson(path, format, options);
    case 'ndjson':
      return openNdjson(path, format, options);
  }
}
