// Reading source files as tables (api/sources/read.ts): CSV in each delimiter and encoding, XLSX
// built here with exceljs's writer, JSON documents and NDJSON, format detection, and the errors a
// person sees. Small text fixtures live in fixtures/read/; binary ones are made in the test.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvError, readCsv } from '../../api/ingest/csv';
import { SourceError, type SourceRow } from '../../api/ingest/sources';
import type { Format } from '../../api/sources/mapping';
import { detectFormat, listSheets, openTable, type Table } from '../../api/sources/read';
import { cellText, dateText } from '../../api/sources/read-xlsx';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'read');
const fixture = (name: string) => join(FIXTURES, name);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pairwise-read-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function all(table: Table): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const batch of table.rows) out.push(...batch);
  return out;
}

async function read(path: string, format: Format, options?: { maxFieldLength?: number }) {
  const table = await openTable(path, format, options);
  return { columns: table.columns, rows: await all(table) };
}

/** The SourceError an action throws (or fails the test). */
async function sourceError(action: () => Promise<unknown>): Promise<SourceError> {
  try {
    await action();
  } catch (err) {
    if (err instanceof SourceError) return err;
    throw err;
  }
  throw new Error('expected a SourceError');
}

const csv = (
  delimiter: ',' | ';' | '\t' | '|' = ',',
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' = 'utf-8',
): Format => ({ type: 'csv', delimiter, encoding, skip_rows: 0 });
const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) => {
  const le = Buffer.from(text, 'utf16le');
  return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]);
};
/** Windows-1252 bytes of Latin-1 text (the characters used here are the same in both). */
const cp1252 = (text: string) => Buffer.from(text, 'latin1');

describe('readCsv (the contract ingest reader) keeps its comma behaviour', () => {
  async function records(text: string | string[], options?: Parameters<typeof readCsv>[1]) {
    const chunks = Array.isArray(text) ? text : [text];
    async function* gen() {
      yield* chunks;
    }
    const out: Array<{ row: number; cells: string[] }> = [];
    for await (const batch of readCsv(gen(), options)) out.push(...batch);
    return out;
  }

  it('reads commas, quotes, CRLF, blank lines and a quoted line break as before', async () => {
    const rows = await records([
      '\ufeffid,name,note\r\n1,"Ross, Diane","said ""hi""\r\n',
      'bye"\r\n\r\n2,Marc,',
      '\n;x,y;,"a;b"\n',
    ]);
    expect(rows).toEqual([
      { row: 1, cells: ['id', 'name', 'note'] },
      { row: 2, cells: ['1', 'Ross, Diane', 'said "hi"\r\nbye'] },
      { row: 4, cells: ['2', 'Marc', ''] },
      { row: 5, cells: [';x', 'y;', 'a;b'] },
    ]);
  });

  it('keeps its errors', async () => {
    await expect(records('a,b\n"x"y,1\n')).rejects.toThrow(CsvError);
    await expect(records('a,b\n1,"open\n')).rejects.toThrow(/row 2: a quoted field is never closed/);
  });

  it('takes another delimiter, and refuses one that cannot be', async () => {
    expect(await records('a;b,c\n"1;2";3\n', { delimiter: ';' })).toEqual([
      { row: 1, cells: ['a', 'b,c'] },
      { row: 2, cells: ['1;2', '3'] },
    ]);
    await expect(records('a\n', { delimiter: '"' })).rejects.toThrow(TypeError);
    await expect(records('a\n', { delimiter: ';;' })).rejects.toThrow(TypeError);
  });
});

describe('CSV', () => {
  it('reads a semicolon file with quoted delimiters and line breaks, rows numbered by line', async () => {
    const { columns, rows } = await read(fixture('calls-semicolon.csv'), csv(';'));
    expect(columns).toEqual(['Call ID', 'Started', 'Agent', 'Queue', 'Talk time', 'Note', 'Rating', 'Resolved']);
    expect(rows.map((r) => r.row)).toEqual([2, 3, 5]);
    expect(rows[0]!.cells[5]).toBe('Refund; asked twice');
    expect(rows[1]!.cells[5]).toBe('Said "thanks"\r\nthen hung up');
    expect(rows[2]!.cells).toEqual(['C-3', '06/12/2026 15:00', 'Diane Ross', 'Billing', '0:00:45', '', '', 'yes']);
  });

  it('reads tab- and pipe-separated files', async () => {
    const tsv = await read(fixture('tickets.tsv'), csv('\t'));
    expect(tsv.columns).toEqual(['ticket', 'subject', 'status', 'created']);
    expect(tsv.rows[0]!.cells).toEqual(['1001', 'Printer\tjam', 'solved', '2026-12-01']);
    const pipe = await read(await file('pipe.csv', 'a|b|c\n1|"x|y"|3\n'), csv('|'));
    expect(pipe.rows).toEqual([{ row: 2, cells: ['1', 'x|y', '3'] }]);
  });

  it('reads UTF-8 with and without a byte-order mark', async () => {
    for (const bom of ['', '\ufeff']) {
      const { columns, rows } = await read(await file('utf8.csv', `${bom}name,city\nZoë,Zürich\n`), csv());
      expect(columns).toEqual(['name', 'city']);
      expect(rows[0]!.cells).toEqual(['Zoë', 'Zürich']);
    }
  });

  it('reads UTF-16 LE and BE with their byte-order marks', async () => {
    const text = 'name;city\r\nZoë;"Zürich; CH"\r\n😀;x\r\n';
    for (const [bytes, encoding] of [
      [utf16le(text), 'utf-16le'],
      [utf16be(text), 'utf-16be'],
    ] as const) {
      const { columns, rows } = await read(await file(`${encoding}.csv`, bytes), csv(';', encoding));
      expect(columns).toEqual(['name', 'city']);
      expect(rows).toEqual([
        { row: 2, cells: ['Zoë', 'Zürich; CH'] },
        { row: 3, cells: ['😀', 'x'] },
      ]);
    }
  });

  it('reads Windows-1252', async () => {
    const { rows } = await read(
      await file(
        'cp1252.csv',
        Buffer.concat([cp1252('name;note\r\nRenée;caf'), Buffer.from([0xe9, 0x20, 0x80, 0x35, 0x0d, 0x0a])]),
      ),
      csv(';', 'windows-1252'),
    );
    expect(rows[0]!.cells).toEqual(['Renée', 'café €5']);
  });

  it('keeps characters whole across the reader’s chunks (a large file)', async () => {
    const line = 'ééééé,日本語テキスト,😀😀\n';
    const text = `a,b,c\n${line.repeat(40_000)}`;
    for (const [bytes, encoding] of [
      [Buffer.from(text, 'utf8'), 'utf-8'],
      [utf16le(text), 'utf-16le'],
    ] as const) {
      const table = await openTable(await file(`big-${encoding}.csv`, bytes), csv(',', encoding));
      let n = 0;
      let batches = 0;
      let whole = 0;
      for await (const batch of table.rows) {
        batches++;
        for (const r of batch) {
          n++;
          if (r.cells.join('|') === 'ééééé|日本語テキスト|😀😀') whole++;
        }
      }
      expect(n).toBe(40_000);
      expect(whole).toBe(40_000);
      expect(batches).toBeGreaterThan(1);
    }
  });

  it('says where a file is not the declared encoding', async () => {
    const latin = await file(
      'latin.csv',
      Buffer.concat([Buffer.from('name\nok\nRen'), Buffer.from([0xe9]), Buffer.from('e\n')]),
    );
    const err = await sourceError(() => read(latin, csv()));
    expect(err.row).toBe(3);
    expect(err.reason).toBe(
      'the file is not valid UTF-8: byte 0xE9 at offset 11 (line 3) is not part of a UTF-8 character; if Excel or an older system saved it, choose Windows-1252',
    );

    // Past the first chunk, the line is still right.
    const far = await file(
      'latin-far.csv',
      Buffer.concat([Buffer.from(`h\n${'x'.repeat(99)}\n`.repeat(3000)), Buffer.from([0xe9, 0x0a])]),
    );
    const farErr = await sourceError(() => read(far, csv()));
    expect(farErr.row).toBe(6001);
    expect(farErr.reason).toContain('byte 0xE9 at offset 306,000 (line 6,001)');

    const cut = await sourceError(async () => read(await file('cut.csv', Buffer.from([0x61, 0x0a, 0xc3])), csv()));
    expect(cut.reason).toBe('the file is not valid UTF-8: it ends in the middle of a character (cut short?)');
  });

  it('refuses bad UTF-16', async () => {
    const lone = Buffer.concat([utf16le('a,b\n1,'), Buffer.from([0x00, 0xd8]), Buffer.from('x\n', 'utf16le')]);
    const err = await sourceError(async () => read(await file('lone.csv', lone), csv(',', 'utf-16le')));
    expect(err.reason).toBe(
      'the file is not valid UTF-16 LE: an unpaired surrogate at offset 14 (line 2) (not text, or not UTF-16 LE)',
    );
    expect(err.row).toBe(2);

    const odd = await sourceError(async () =>
      read(await file('odd.csv', Buffer.concat([utf16le('a,b\n1,2\n'), Buffer.from([0x41])])), csv(',', 'utf-16le')),
    );
    expect(odd.reason).toBe('the file is not valid UTF-16 LE: it has an odd number of bytes (cut short?)');

    const eight = await sourceError(async () => read(await file('eight.csv', 'a,b\n1,2\n'), csv(',', 'utf-16le')));
    expect(eight.reason).toMatch(/not valid UTF-16 LE: it has no byte-order mark and no zero bytes/);

    const other = await sourceError(async () => read(await file('be.csv', utf16be('a,b\n')), csv(',', 'utf-16le')));
    expect(other.reason).toBe(
      'the file is UTF-16 BE (it starts with a UTF-16 BE byte-order mark), not UTF-16 LE: choose UTF-16 BE',
    );
  });

  it('refuses bytes Windows-1252 has no character for, and a UTF-8 file declared as Windows-1252', async () => {
    const undef = await sourceError(async () =>
      read(await file('undef.csv', Buffer.from([0x61, 0x0a, 0x62, 0x81, 0x0a])), csv(',', 'windows-1252')),
    );
    expect(undef.reason).toBe(
      'the file is not valid Windows-1252: byte 0x81 at offset 3 (line 2) has no character in Windows-1252',
    );
    const bom = await sourceError(async () => read(await file('bom.csv', '\ufeffa,b\n'), csv(',', 'windows-1252')));
    expect(bom.reason).toBe(
      'the file is UTF-8 (it starts with a UTF-8 byte-order mark), not Windows-1252: choose UTF-8',
    );
  });

  it('refuses an empty file, binary data and malformed quoting with the row', async () => {
    expect((await sourceError(async () => read(await file('empty.csv', ''), csv()))).reason).toBe(
      'the file is empty: the first row must name the columns',
    );
    expect(
      (await sourceError(async () => read(await file('nul.csv', Buffer.from([0x61, 0x00, 0x62])), csv()))).reason,
    ).toMatch(/NUL byte at offset 1/);
    const quote = await sourceError(async () => read(await file('quote.csv', 'a;b\n1;2\n3;"x"y\n'), csv(';')));
    expect(quote.row).toBe(3);
    const long = await sourceError(async () =>
      read(await file('long.csv', `a\n${'x'.repeat(50)}\n`), csv(), { maxFieldLength: 10 }),
    );
    expect(long.reason).toMatch(/longer than 10 characters/);
  });

  it('lets go of the file when the rows are not read', async () => {
    const path = await file('closed.csv', 'a\n1\n');
    const table = await openTable(path, csv());
    const it = table.rows as AsyncIterableIterator<SourceRow[]>;
    await it.return!();
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });
});

describe('XLSX', () => {
  /** A workbook: 'Summary' first, then 'Calls' with its header on row 3, every kind of cell. */
  async function workbook(name: string, options: { date1904?: boolean } = {}): Promise<string> {
    const wb = new ExcelJS.Workbook();
    if (options.date1904) wb.properties.date1904 = true;
    wb.addWorksheet('Summary').addRow(['total', 2]);
    const ws = wb.addWorksheet('Calls');
    ws.getRow(3).values = [
      'Call ID',
      'Started',
      'Day',
      'Talk',
      'Hold',
      'Clock',
      'Rating',
      'Score',
      'Note',
      'Twice',
      'Link',
      'Err',
      'Answered',
      'Due',
    ];
    const r = ws.getRow(4);
    r.values = [
      'C-1',
      new Date(Date.UTC(2026, 11, 6, 14, 3, 5)),
      new Date(Date.UTC(2026, 11, 6)),
      143 / 86400,
      1.5,
      0.75,
      9,
      4.25,
      { richText: [{ text: 'Hel' }, { font: { bold: true }, text: 'lo' }] },
      { formula: 'G4*2', result: 18 },
      { text: 'the ticket', hyperlink: 'https://example.com/t/1' },
      { error: '#N/A' },
      true,
      { formula: 'B4+1', result: 46363.5 },
    ];
    r.getCell(2).numFmt = 'yyyy-mm-dd hh:mm:ss';
    r.getCell(3).numFmt = 'dd/mm/yyyy';
    r.getCell(4).numFmt = 'h:mm:ss';
    r.getCell(5).numFmt = '[h]:mm:ss';
    r.getCell(6).numFmt = 'hh:mm';
    r.getCell(14).numFmt = 'yyyy-mm-dd hh:mm';
    // Row 5 is empty (skipped); row 6 has a gap and a value past the header.
    ws.getRow(6).values = ['C-2', null, null, null, null, null, 7];
    ws.getCell('P6').value = 'extra';
    const path = join(dir, name);
    await wb.xlsx.writeFile(path);
    return path;
  }

  it('reads the chosen sheet: header on its first non-empty row, rows by their spreadsheet number, cells as text', async () => {
    const path = await workbook('calls.xlsx');
    const { columns, rows } = await read(path, { type: 'xlsx', sheet: 'Calls', skip_rows: 0 });
    expect(columns).toEqual([
      'Call ID',
      'Started',
      'Day',
      'Talk',
      'Hold',
      'Clock',
      'Rating',
      'Score',
      'Note',
      'Twice',
      'Link',
      'Err',
      'Answered',
      'Due',
    ]);
    expect(rows).toEqual([
      {
        row: 4,
        cells: [
          'C-1',
          '2026-12-06 14:03:05',
          '2026-12-06',
          '0:02:23',
          '36:00:00',
          '18:00:00',
          '9',
          '4.25',
          'Hello',
          '18',
          'the ticket',
          '#N/A',
          'true',
          '2026-12-07 12:00:00',
        ],
      },
      { row: 6, cells: ['C-2', '', '', '', '', '', '7', '', '', '', '', '', '', '', '', 'extra'] },
    ]);
  });

  it('reads the first sheet by default, finds a sheet in any case, and names the sheets when one is missing', async () => {
    const path = await workbook('sheets.xlsx');
    expect(await listSheets(path)).toEqual(['Summary', 'Calls']);
    expect(await read(path, { type: 'xlsx', skip_rows: 0 })).toEqual({ columns: ['total', '2'], rows: [] });
    expect((await read(path, { type: 'xlsx', sheet: 'calls', skip_rows: 0 })).columns[0]).toBe('Call ID');
    const err = await sourceError(() => openTable(path, { type: 'xlsx', sheet: 'Agents', skip_rows: 0 }));
    expect(err.reason).toBe("sheet 'Agents' not found: the workbook has Summary, Calls");
  });

  it('reads times in a 1904 workbook', async () => {
    const path = await workbook('mac.xlsx', { date1904: true });
    const { rows } = await read(path, { type: 'xlsx', sheet: 'Calls', skip_rows: 0 });
    expect(rows[0]!.cells.slice(1, 6)).toEqual([
      '2026-12-06 14:03:05',
      '2026-12-06',
      '0:02:23',
      '36:00:00',
      '18:00:00',
    ]);
  });

  it('reads a workbook written by the streaming writer (sheets before the shared strings), a thousand rows at a time', async () => {
    const path = join(dir, 'streamed.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
    const ws = wb.addWorksheet('Data');
    ws.addRow(['id', 'when', 'agent']).commit();
    for (let i = 1; i <= 2500; i++) {
      const row = ws.addRow([i, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), `agent ${i % 7}`]);
      row.getCell(2).numFmt = 'yyyy-mm-dd hh:mm';
      row.commit();
    }
    ws.commit();
    await wb.commit();
    const table = await openTable(path, { type: 'xlsx', skip_rows: 0 });
    expect(table.columns).toEqual(['id', 'when', 'agent']);
    const sizes: number[] = [];
    const rows: SourceRow[] = [];
    for await (const batch of table.rows) {
      sizes.push(batch.length);
      rows.push(...batch);
    }
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(rows[0]).toEqual({ row: 2, cells: ['1', '2026-01-02 03:04:05', 'agent 1'] });
    expect(rows[2499]!.row).toBe(2501);
  });

  it('refuses an empty sheet and a file that is not a workbook', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Blank');
    const path = join(dir, 'blank.xlsx');
    await wb.xlsx.writeFile(path);
    expect((await sourceError(() => openTable(path, { type: 'xlsx', skip_rows: 0 }))).reason).toBe(
      "sheet 'Blank' is empty: its first non-empty row must name the columns",
    );
    const text = await file('not.xlsx', 'a,b\n');
    expect((await sourceError(() => openTable(text, { type: 'xlsx', skip_rows: 0 }))).reason).toMatch(
      /^the file is not an Excel workbook \(\.xlsx\)/,
    );
  });

  it('keeps non-ASCII text whole however the archive inflates, in shared and inline strings', async () => {
    // (Characters outside the BMP are left out: exceljs's writer splits their surrogate pairs.)
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Names');
    ws.addRow(['n', 'name', 'city']);
    for (let i = 0; i < 6000; i++)
      ws.addRow([i, `Zoë ${i} 日本語`, { richText: [{ text: 'Zü' }, { text: `rich € ${i}` }] }]);
    const path = join(dir, 'unicode.xlsx');
    await wb.xlsx.writeFile(path);
    const { rows } = await read(path, { type: 'xlsx', skip_rows: 0 });
    expect(rows).toHaveLength(6000);
    const bad = rows.filter((r, i) => r.cells[1] !== `Zoë ${i} 日本語` || r.cells[2] !== `Zürich € ${i}`);
    expect(bad.slice(0, 3)).toEqual([]);
  });

  it('lets go of the workbook when the rows are not read to the end', async () => {
    const path = await workbook('early.xlsx');
    const table = await openTable(path, { type: 'xlsx', sheet: 'Calls', skip_rows: 0 });
    const it = table.rows as AsyncIterableIterator<SourceRow[]>;
    await it.return!();
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });

  it('turns cell values into text', () => {
    expect(cellText(0.1 + 0.2, 'General', false)).toBe('0.30000000000000004');
    expect(cellText(46362.585, 'dd/mm/yyyy hh:mm', false)).toBe('2026-12-06 14:02:24');
    expect(cellText(46362, 'd-mmm-yy', false)).toBe('2026-12-06');
    expect(cellText(46362, '#,##0', false)).toBe('46362');
    expect(cellText(0.25, '0%', false)).toBe('0.25');
    expect(cellText(2.5, '[mm]:ss', false)).toBe('60:00:00');
    expect(cellText({ sharedFormula: 'A1', result: 'x' }, undefined, false)).toBe('x');
    expect(cellText({ text: { richText: [{ text: 'a' }, { text: 'b' }] }, hyperlink: 'h' }, undefined, false)).toBe(
      'ab',
    );
    expect(cellText(null, undefined, false)).toBe('');
    expect(dateText(Date.UTC(1899, 11, 30, 0, 2, 23), undefined, false)).toBe('0:02:23');
    expect(dateText(Date.UTC(2026, 0, 2, 3, 4, 5, 600), undefined, false)).toBe('2026-01-02 03:04:06');
  });
});

describe('JSON', () => {
  it('reads the records at a path, flattening nested objects into dotted columns', async () => {
    const { columns, rows } = await read(fixture('ctr-records.json'), { type: 'json', records: 'Records' });
    expect(columns).toEqual([
      'ContactId',
      'Channel',
      'InitiationTimestamp',
      'Agent.Username',
      'Agent.AgentInteractionDuration',
      'Agent.RoutingProfile.Name',
      'Queue.Name',
      'Queue.Duration',
      'Tags',
      'Recording',
      'Transfers',
      'Attributes.csat',
    ]);
    expect(rows).toEqual([
      {
        row: 1,
        cells: [
          'a1',
          'VOICE',
          '2026-12-06T14:03:00Z',
          'diane',
          '143',
          'Billing',
          'BillingQ',
          '12.5',
          'vip, callback',
          '',
          '[{"To":"x","At":3}]',
          '',
        ],
      },
      { row: 2, cells: ['a2', 'CHAT', '', '', '', '', 'SupportQ', '', '', '', '', '4'] },
    ]);
  });

  it('reads a top-level array; a record that is not an object is a problem on its row', async () => {
    const path = await file(
      'array.json',
      JSON.stringify([
        { id: 1, ok: true, n: null },
        'oops',
        { id: 3, extra: { deep: { er: 'x' } }, list: [1, null, 'b'] },
      ]),
    );
    const { columns, rows } = await read(path, { type: 'json' });
    expect(columns).toEqual(['id', 'ok', 'n', 'extra.deep.er', 'list']);
    expect(rows[0]).toEqual({ row: 1, cells: ['1', 'true', '', '', ''] });
    expect(rows[1]).toEqual({
      row: 2,
      cells: ['', '', '', '', ''],
      problem: { field: null, value: '"oops"', reason: 'each record must be an object; this one is a string' },
    });
    expect(rows[2]).toEqual({ row: 3, cells: ['3', '', '', 'x', '1, , b'] });
  });

  it('keeps an array of objects as JSON text of at most 1,000 characters', async () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ step: i, note: 'transferred' }));
    const { rows } = await read(await file('long.json', JSON.stringify([{ id: 1, steps: many }])), { type: 'json' });
    const text = rows[0]!.cells[1]!;
    expect(text).toHaveLength(1000);
    expect(text.startsWith('[{"step":0,"note":"transferred"},')).toBe(true);
    expect(text.endsWith('…')).toBe(true);
  });

  it('follows a dotted records path, and a key that holds a dot', async () => {
    const path = await file('nested.json', JSON.stringify({ meta: {}, data: { 'page.items': [{ a: 1 }, { a: 2 }] } }));
    expect((await read(path, { type: 'json', records: 'data.page.items' })).rows.map((r) => r.cells)).toEqual([
      ['1'],
      ['2'],
    ]);
  });

  it('explains a document that is not an array of records', async () => {
    const ctr = fixture('ctr-records.json');
    expect((await sourceError(() => openTable(ctr, { type: 'json' }))).reason).toBe(
      "the document is an object, not an array of records: its property 'Records' holds an array of 2; set the records path to 'Records'",
    );
    expect((await sourceError(() => openTable(ctr, { type: 'json', records: 'Items' }))).reason).toBe(
      "the records path 'Items' is not in the document: the document has Version, Records",
    );
    expect((await sourceError(() => openTable(ctr, { type: 'json', records: 'Version' }))).reason).toBe(
      "'Version' is a string, not an array of records",
    );
    expect((await sourceError(async () => openTable(await file('num.json', '42'), { type: 'json' }))).reason).toBe(
      'the document is a number, not an array of records',
    );
    expect(
      (
        await sourceError(async () =>
          openTable(await file('deep.json', '{"a":{"b":[{"x":1}]},"c":1}'), { type: 'json' }),
        )
      ).reason,
    ).toBe(
      "the document is an object, not an array of records: 'a.b' holds an array of objects; set the records path to 'a.b'",
    );
  });

  it('says where JSON is malformed', async () => {
    const err = await sourceError(async () =>
      openTable(await file('bad.json', '[\n  {"a": 1},\n  {"a": 2,}\n]'), { type: 'json' }),
    );
    expect(err.reason).toMatch(/^the file is not valid JSON: .*\(line 3, column 11\)$/);
  });
});

describe('NDJSON', () => {
  it('reads one record a line, columns the union of all lines, rows by line number', async () => {
    const { columns, rows } = await read(fixture('ctr.ndjson'), { type: 'ndjson' });
    expect(columns).toEqual(['ContactId', 'Agent.Username', 'Queue.Name', 'Attributes.csat', 'Resolved']);
    expect(rows).toEqual([
      { row: 1, cells: ['n1', 'diane', 'BillingQ', '', ''] },
      { row: 3, cells: ['n2', 'marc', '', '', ''] },
      { row: 4, cells: ['n3', '', 'SupportQ', '5', 'true'] },
    ]);
  });

  it('streams a large file in batches', async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) =>
      JSON.stringify({ id: i, agent: { name: `a${i % 9}` }, ...(i === 29_999 ? { late: 'x' } : {}) }),
    );
    const table = await openTable(await file('big.ndjson', `${lines.join('\n')}\n`), { type: 'ndjson' });
    expect(table.columns).toEqual(['id', 'agent.name', 'late']);
    let n = 0;
    let last: SourceRow | undefined;
    for await (const batch of table.rows) {
      n += batch.length;
      last = batch[batch.length - 1];
    }
    expect(n).toBe(30_000);
    expect(last).toEqual({ row: 30_000, cells: ['29999', 'a2', 'x'] });
  });

  it('names the line that is not JSON, or not an object', async () => {
    const bad = await sourceError(async () =>
      openTable(await file('bad.ndjson', '{"a":1}\n{"a":2}\n{"a":3,,}\n'), { type: 'ndjson' }),
    );
    expect(bad.row).toBe(3);
    expect(bad.reason).toMatch(/^line 3 is not valid JSON: /);
    const arr = await sourceError(async () =>
      openTable(await file('arr.ndjson', '{"a":1}\n\n[1,2]\n'), { type: 'ndjson' }),
    );
    expect(arr.row).toBe(3);
    expect(arr.reason).toBe('line 3 is an array, not a JSON object: NDJSON has one record (an object) a line');
    expect(
      (await sourceError(async () => openTable(await file('blank.ndjson', '\n \n'), { type: 'ndjson' }))).reason,
    ).toMatch(/the file is empty/);
  });
});

describe('detectFormat', () => {
  it('finds the delimiter and says why', async () => {
    const semi = await detectFormat(fixture('calls-semicolon.csv'), { filename: 'calls-semicolon.csv' });
    expect(semi.format).toEqual({ type: 'csv', delimiter: ';', encoding: 'utf-8', skip_rows: 0 });
    expect(semi.evidence[0]).toBe('semicolon-separated: 4 of 4 sample lines have 8 fields');
    expect((await detectFormat(fixture('tickets.tsv'))).format).toMatchObject({ delimiter: '\t' });
    expect((await detectFormat(await file('p.txt', 'a|b|c\n1|2|3\n4|5|6\n'))).format).toMatchObject({ delimiter: '|' });
    // Semicolons inside quoted fields do not win over the commas.
    const comma = await detectFormat(
      await file('c.csv', 'id,note,score\n1,"a;b;c;d",3\n2,"x;y;z;w",4\n3,"p;q;r;s",5\n'),
    );
    expect(comma.format).toMatchObject({ delimiter: ',' });
    expect(comma.evidence[0]).toBe('comma-separated: 4 of 4 sample lines have 3 fields');
    // Decimal commas in a semicolon file.
    expect(
      (await detectFormat(await file('eu.csv', 'agent;talk;score\nDiane;2,5;4,0\nMarc;10,25;3\nAnn;1;2,75\n'))).format,
    ).toMatchObject({ delimiter: ';' });
    const one = await detectFormat(await file('one.csv', 'name\nDiane\nMarc\n'));
    expect(one.format).toMatchObject({ delimiter: ',' });
    expect(one.evidence[0]).toMatch(/^one column/);
  });

  it('finds the encoding', async () => {
    const latin = await detectFormat(
      await file('w.csv', Buffer.concat([cp1252('name;city\nRen'), Buffer.from([0xe9]), cp1252('e;Paris\n')])),
    );
    expect(latin.format).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
    expect(latin.evidence).toContain('Windows-1252: not valid UTF-8 (byte 0xE9 at offset 13)');
    expect((await detectFormat(await file('le.csv', utf16le('a\tb\n1\t2\n')))).format).toMatchObject({
      encoding: 'utf-16le',
      delimiter: '\t',
    });
    expect((await detectFormat(await file('be.csv', utf16be('a;b\n1;2\n')))).format).toMatchObject({
      encoding: 'utf-16be',
      delimiter: ';',
    });
    const nobom = await detectFormat(await file('le-nobom.csv', Buffer.from('a,b\n1,2\n', 'utf16le')));
    expect(nobom.format).toMatchObject({ encoding: 'utf-16le' });
    expect(nobom.evidence.some((e) => e.startsWith('UTF-16 LE: no byte-order mark'))).toBe(true);
    const bom = await detectFormat(await file('bom.csv', '\ufeffa,b\n1,2\n'));
    expect(bom.format).toMatchObject({ encoding: 'utf-8' });
    expect(bom.evidence).toContain('UTF-8: the file starts with the byte-order mark EF BB BF');
  });

  it('recognises JSON, its records path, and NDJSON', async () => {
    const ctr = await detectFormat(fixture('ctr-records.json'), { contentType: 'application/json' });
    expect(ctr.format).toEqual({ type: 'json', records: 'Records' });
    expect(ctr.evidence[0]).toBe(
      "JSON: the document is an object; its property 'Records' holds an array of objects (2 records)",
    );
    expect((await detectFormat(await file('arr.json', ' [{"a":1},{"a":2}]'))).format).toEqual({ type: 'json' });
    expect(
      (await detectFormat(await file('deep.json', '{"meta":{"n":[1,2]},"data":{"items":[ {"a":1} ]}}'))).format,
    ).toEqual({ type: 'json', records: 'data.items' });
    const nd = await detectFormat(fixture('ctr.ndjson'));
    expect(nd.format).toEqual({ type: 'ndjson' });
    expect(nd.evidence[0]).toBe('NDJSON: 3 of 3 sample lines are each a JSON object');
    expect(
      (await detectFormat(await file('single.json', '{"ContactId":"x","Agent":{"Username":"d"}}\n'))).format,
    ).toEqual({ type: 'ndjson' });
  });

  it('finds the records path in a document larger than the sample', async () => {
    const records = Array.from({ length: 3000 }, (_, i) => ({
      ContactId: `c${i}`,
      Agent: { Username: `a${i}` },
      Tags: ['x'],
    }));
    const path = await file('large.json', JSON.stringify({ Version: 1, Records: records }, null, 2));
    const d = await detectFormat(path);
    expect(d.format).toEqual({ type: 'json', records: 'Records' });
    expect((await read(path, d.format)).rows).toHaveLength(3000);
  });

  it('recognises a workbook and lists its sheets', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Calls').addRow(['a']);
    wb.addWorksheet('Notes').addRow(['b']);
    const path = join(dir, 'detect.xlsx');
    await wb.xlsx.writeFile(path);
    const d = await detectFormat(path, {
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      filename: 'export.xlsx',
    });
    expect(d.format).toEqual({ type: 'xlsx', skip_rows: 0 });
    expect(d.sheets).toEqual(['Calls', 'Notes']);
    expect(d.evidence).toContain('the content type is that of an Excel workbook (.xlsx)');
  });

  it('refuses what no format reads', async () => {
    expect((await sourceError(async () => detectFormat(await file('empty', '')))).reason).toBe('the file is empty');
    expect(
      (await sourceError(async () => detectFormat(await file('bin', Buffer.from([1, 2, 0, 3, 4, 5, 6, 7]))))).reason,
    ).toMatch(/^the file looks binary/);
    expect(
      (
        await sourceError(async () =>
          detectFormat(await file('old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))),
        )
      ).reason,
    ).toMatch(/Excel 97–2003 workbook/);
  });

  it('hands back a format each reader opens', async () => {
    for (const name of ['calls-semicolon.csv', 'tickets.tsv', 'ctr-records.json', 'ctr.ndjson']) {
      const d = await detectFormat(fixture(name));
      const { rows } = await read(fixture(name), d.format);
      expect(rows.length, name).toBeGreaterThan(0);
    }
  });
});
