// A CSV source: any of the four delimiters and four encodings, streamed through the contract
// ingest's own RFC 4180 reader (api/ingest/csv.ts), so rows are numbered the same way.
import { createReadStream } from 'node:fs';
import { CsvError, readCsv } from '../ingest/csv';
import { SourceError, type SourceRow } from '../ingest/sources';
import type { Format } from './mapping';
import type { OpenOptions, Table } from './read';
import { CHUNK_BYTES, closableRows, decodeText, DecodeError, locate } from './read-text';

type CsvFormat = Extract<Format, { type: 'csv' }>;

export async function openCsv(path: string, format: CsvFormat, options: OpenOptions): Promise<Table> {
  const encoding = format.encoding ?? 'utf-8';
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const close = () => {
    stream.destroy();
  };
  const records = readCsv(decodeText(stream, encoding), {
    delimiter: format.delimiter ?? ',',
    maxFieldLength: options.maxFieldLength,
  });
  const asSourceError = async (err: unknown): Promise<unknown> => {
    if (err instanceof CsvError) return new SourceError(err.row, err.reason);
    if (err instanceof DecodeError) {
      const { line, reason } = await locate(path, err, encoding);
      return new SourceError(line, reason);
    }
    return err;
  };

  let first: IteratorResult<SourceRow[]>;
  try {
    first = await records.next();
  } catch (err) {
    close();
    throw await asSourceError(err);
  }
  if (first.done || first.value.length === 0) {
    close();
    throw new SourceError(1, 'the file is empty: the first row must name the columns');
  }
  const [header, ...rest] = first.value;
  async function* rows(): AsyncGenerator<SourceRow[]> {
    try {
      if (rest.length > 0) yield rest;
      for (;;) {
        const next = await records.next();
        if (next.done) return;
        yield next.value;
      }
    } catch (err) {
      throw await asSourceError(err);
    }
  }
  return { format, columns: header!.cells, rows: closableRows(rows(), close) };
}
