// A streaming RFC 4180 reader: text chunks in, records out, with the record's row number as
// a person sees it when the file is opened in a spreadsheet: the header is row 1, a record
// whose quoted field spans lines is one row, an empty line is a row with nothing in it.
// BOM, CRLF or LF, quoted fields with commas (or the chosen delimiter), quotes and line breaks.
// Malformed input becomes a CsvError naming the row.

export class CsvError extends Error {
  constructor(
    readonly row: number,
    readonly reason: string,
  ) {
    super(`row ${row}: ${reason}`);
    this.name = 'CsvError';
  }
}

export interface CsvRecord {
  row: number;
  /** The record's fields (named as a source row's cells: records are handed on as they are). */
  cells: string[];
}

export interface CsvOptions {
  /** Longest field accepted, in characters (a guard against runaway quotes and huge cells). */
  maxFieldLength?: number;
  /** Most fields in one record (a guard against a runaway line of commas exhausting memory). */
  maxFields?: number;
  /** The field separator: one character, not a quote or a line break. Default ','. */
  delimiter?: string;
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * Reads records from text chunks, answering the records each chunk completes (one step per
 * chunk, not per record: a million rows are a million fewer promises). Empty lines are skipped
 * (they carry no record). The caller decodes bytes (strict UTF-8) before this.
 */
export async function* readCsv(chunks: AsyncIterable<string>, options: CsvOptions = {}): AsyncGenerator<CsvRecord[]> {
  const maxField = options.maxFieldLength ?? 1_000_000;
  const maxFields = options.maxFields ?? 10_000;
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
    throw new TypeError(`a CSV delimiter is one character, not a quote or a line break: ${JSON.stringify(delimiter)}`);
  }
  const DELIM = delimiter.charCodeAt(0);
  let field = '';
  let fields: string[] = [];
  let inQuotes = false;
  /** Just read a closing quote (a following quote is an escaped quote). */
  let afterQuote = false;
  let row = 1;
  let recordRow = 1;
  let first = true;
  let pendingCr = false;
  let fieldStarted = false;

  const endField = () => {
    if (fields.length >= maxFields)
      throw new CsvError(recordRow, `a row has more than ${maxFields.toLocaleString('en')} fields`);
    fields.push(field);
    field = '';
    fieldStarted = false;
    afterQuote = false;
  };

  for await (let chunk of chunks) {
    if (first && chunk.length > 0) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = false;
    }
    const out: CsvRecord[] = [];
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (inQuotes) {
        // Copy up to the next quote in one slice.
        const q = chunk.indexOf('"', i);
        const end = q === -1 ? n : q;
        if (end > i) {
          field += chunk.slice(i, end);
          if (field.length > maxField)
            throw new CsvError(
              recordRow,
              `a field is longer than ${maxField.toLocaleString('en')} characters (an unterminated quote?)`,
            );
        }
        if (q === -1) break;
        inQuotes = false;
        afterQuote = true;
        i = q + 1;
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (pendingCr) {
        pendingCr = false;
        if (c === LF) {
          i++;
          continue;
        }
      }
      if (afterQuote) {
        if (c === QUOTE) {
          field += '"';
          inQuotes = true;
          afterQuote = false;
          i++;
          continue;
        }
        if (c !== DELIM && c !== CR && c !== LF) {
          throw new CsvError(
            recordRow,
            `unexpected text after a closing quote; a quote inside a quoted field must be doubled ("")`,
          );
        }
      }
      if (c === DELIM) {
        endField();
        fieldStarted = true; // the next field exists even if empty
        i++;
        continue;
      }
      if (c === CR || c === LF) {
        if (fields.length > 0 || field.length > 0 || fieldStarted || afterQuote) {
          endField();
          out.push({ row: recordRow, cells: fields });
          fields = [];
        }
        row++;
        recordRow = row;
        if (c === CR) pendingCr = true;
        i++;
        continue;
      }
      if (c === QUOTE) {
        if (field.length > 0)
          throw new CsvError(
            recordRow,
            'a quote in the middle of an unquoted field; quote the whole field and double the inner quote',
          );
        inQuotes = true;
        fieldStarted = true;
        i++;
        continue;
      }
      // Plain text up to the next delimiter, in one slice.
      let j = i + 1;
      while (j < n) {
        const d = chunk.charCodeAt(j);
        if (d === DELIM || d === CR || d === LF || d === QUOTE) break;
        j++;
      }
      field += chunk.slice(i, j);
      fieldStarted = true;
      if (field.length > maxField)
        throw new CsvError(recordRow, `a field is longer than ${maxField.toLocaleString('en')} characters`);
      i = j;
    }
    if (out.length > 0) yield out;
  }
  if (inQuotes) throw new CsvError(recordRow, 'a quoted field is never closed (unterminated quote)');
  if (fields.length > 0 || field.length > 0 || fieldStarted || afterQuote) {
    endField();
    yield [{ row: recordRow, cells: fields }];
  }
}

/** Decodes a byte stream as strict UTF-8 text chunks; invalid bytes or NUL characters are an error. */
export async function* decodeUtf8(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  for await (const b of bytes) {
    let text: string;
    try {
      text = decoder.decode(b, { stream: true });
    } catch {
      throw new CsvError(0, 'the file is not UTF-8 text');
    }
    if (text.includes('\u0000')) throw new CsvError(0, 'the file contains NUL bytes: it is binary, not CSV text');
    if (text) yield text;
  }
  let tail: string;
  try {
    tail = decoder.decode();
  } catch {
    throw new CsvError(0, 'the file is not UTF-8 text');
  }
  if (tail) yield tail;
}
