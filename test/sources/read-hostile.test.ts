// Files made to hurt the reader: a workbook that inflates a thousandfold, JSON nested far deeper
// than any export, a line of endless delimiters, binary bytes. Each is a SourceError in plain
// words (the request's 422), never a crash or an unbounded allocation.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../api/ingest/sources';
import { detectFormat, openTable } from '../../api/sources/read';

const dir = mkdtempSync(join(tmpdir(), 'pairwise-hostile-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads the whole table; answers the error it ends with, if any. */
async function readAll(path: string, format: Parameters<typeof openTable>[1]): Promise<unknown> {
  try {
    const t = await openTable(path, format);
    for await (const _ of t.rows);
    return null;
  } catch (err) {
    return err;
  }
}

describe('hostile source files', () => {
  it('a workbook part that inflates past its limit is refused, not read into memory', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Calls').addRow(['Call Id']);
    const plain = join(dir, 'plain.xlsx');
    await wb.xlsx.writeFile(plain);
    const zip = await JSZip.loadAsync(await import('node:fs/promises').then((f) => f.readFile(plain)));
    const styles = await zip.file('xl/styles.xml')!.async('string');
    // 20 MB of XML whitespace: valid, and about 20 KB compressed.
    zip.file('xl/styles.xml', styles.replace('<styleSheet', `${' '.repeat(20 * 1024 * 1024)}<styleSheet`));
    const bomb = join(dir, 'bomb.xlsx');
    writeFileSync(
      bomb,
      await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } }),
    );
    const err = await readAll(bomb, { type: 'xlsx', skip_rows: 0 });
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).reason).toMatch(/inflates to more than 16 MB/);
  });

  it('JSON nested 100,000 levels deep is an error, not a stack overflow', async () => {
    const path = join(dir, 'deep.json');
    writeFileSync(path, `[{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}]`);
    const err = await readAll(path, { type: 'json' });
    expect(err === null || err instanceof SourceError).toBe(true);
  });

  it('a line of 1,000,000 delimiters is refused by the field limit', async () => {
    const path = join(dir, 'wide.csv');
    writeFileSync(path, `a;b\n${';'.repeat(1_000_000)}\n`);
    const err = await readAll(path, { type: 'csv', delimiter: ';', encoding: 'utf-8', skip_rows: 0 });
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).reason).toMatch(/more than 10,000 fields/);
  });

  it('binary bytes are not taken for text', async () => {
    const path = join(dir, 'noise.bin');
    writeFileSync(path, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const err = await detectFormat(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SourceError);
  });
});
