// Shared helpers of the hand-computed metric tests.
import { expect } from 'vitest';
import type { MetricsResult, MetricsRow, MetricValue } from '../../api/metrics/engine';
import type { Database } from '../../db/client';
import { csv, ingestCsv } from '../helpers/ingest';

export interface Expected {
  value: number | null;
  n: number;
  low?: number | null;
  high?: number | null;
}

/** Checks a value, n and (when given) the interval; numbers to 6 decimals (hand arithmetic in the comments has 6 significant figures). */
export function expectValue(got: MetricValue | undefined, want: Expected, what = '') {
  expect(got, what).toBeDefined();
  expect(got!.n, `${what} n`).toBe(want.n);
  if (want.value === null) expect(got!.value, `${what} value`).toBeNull();
  else expect(got!.value, `${what} value`).toBeCloseTo(want.value, 6);
  for (const side of ['low', 'high'] as const) {
    if (!(side in want)) continue;
    const w = want[side];
    if (w === null || w === undefined) expect(got![side] ?? null, `${what} ${side}`).toBeNull();
    else expect(got![side], `${what} ${side}`).toBeCloseTo(w, 5);
  }
}

/** The row of a period (and dimension value) in a result. */
export function rowOf(result: MetricsResult, period: string, dim?: [string, string | null]): MetricsRow {
  const row = result.rows.find((r) => r.period === period && (!dim || (r[dim[0]] ?? null) === dim[1]));
  if (!row)
    throw new Error(
      `no row ${period} ${dim ? dim.join('=') : ''} in ${JSON.stringify(result.rows.map((r) => [r.period, dim ? r[dim[0]] : '']))}`,
    );
  return row;
}

/** The dimension values of a result's rows, in order, each once. */
export const dimsOf = (result: MetricsResult, by: string) => [
  ...new Set(result.rows.map((r) => (r[by] ?? null) as string | null)),
];

/** A metrics query string. */
export const q = (params: Record<string, string | number>) =>
  `/api/v1/metrics?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`;

/** Imports interactions given as `external_id,occurred_at,team,channel,answered` rows, times in UTC. */
export const ingestInteractions = (database: Database, ...rows: string[]) =>
  ingestCsv(database, 'interactions', csv('external_id,occurred_at,team,channel,answered', ...rows), {
    timeZone: 'UTC',
  });
