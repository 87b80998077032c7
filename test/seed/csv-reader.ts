// A tiny RFC 4180 reader, for tests only: quoted fields may hold commas, doubled quotes, CR
// and LF; records end with LF or CRLF. Returns the header and the records as objects where an
// empty cell is null.

export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      if (field !== '') throw new Error(`stray quote inside an unquoted field at offset ${i}`);
      quoted = true;
      i++;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

export interface CsvTable<F extends string = string> {
  header: string[];
  rows: Record<F, string | null>[];
}

/** Rows keyed by field name; `F` names the fields the caller expects (checked at run time). */
export function readCsv<F extends string = string>(text: string, expected?: readonly F[]): CsvTable<F> {
  const [header, ...records] = parseCsvRecords(text.replace(/^\uFEFF/, ''));
  if (!header) throw new Error('no header row');
  for (const name of expected ?? []) if (!header.includes(name)) throw new Error(`no "${name}" column`);
  const rows = records.map((record, index) => {
    if (record.length !== header.length)
      throw new Error(`record ${index + 2} has ${record.length} fields, the header ${header.length}`);
    const row: Record<string, string | null> = {};
    header.forEach((name, i) => (row[name] = record[i] === '' ? null : (record[i] as string)));
    return row as Record<F, string | null>;
  });
  return { header, rows };
}
