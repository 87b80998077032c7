// The SQL each metric reads, as the engine builds it for that metric alone (grain week, no
// breakdown, no filter): a change to a metric's measures or to the rollup queries shows here in
// review. Organisation metrics read the small organisation rollups whole (reference.ts).
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { measuresFor, metricEntry, METRIC_KEYS, rollupOf } from '../../api/metrics/registry';
import {
  aggregateSql,
  chooseTable,
  ORG_ROLLUP_SQL,
  waitHistogramSql,
  type AggregateQuery,
} from '../../api/metrics/sources';

const dialect = new PgDialect();
const render = (q: Parameters<PgDialect['sqlToQuery']>[0]) => {
  const { sql, params } = dialect.sqlToQuery(q);
  return { sql: sql.replace(/\s+/g, ' ').trim(), params };
};

function metricSql(key: string) {
  const entry = metricEntry(key)!;
  const rollup = rollupOf(entry);
  if (!rollup) return Object.fromEntries(Object.entries(ORG_ROLLUP_SQL).map(([k, s]) => [k, render(s)]));
  const q: AggregateQuery = {
    table: chooseTable(rollup, new Set())!,
    source: rollup,
    measures: measuresFor([entry], rollup),
    grain: 'week',
    filters: {},
    from: '2024-01-01',
    to: '2024-01-31',
  };
  return {
    aggregate: render(aggregateSql(q)),
    ...(entry.compute.histogram ? { histogram: render(waitHistogramSql(q)) } : {}),
  };
}

describe('the SQL of each metric', () => {
  it.each(METRIC_KEYS.map((k) => [k]))('%s', (key) => {
    expect(metricSql(key)).toMatchSnapshot();
  });

  it('a breakdown, filters and the previous period name their table, columns and shift', () => {
    const entries = ['wait_avg', 'wait_p90', 'contacts'].map((k) => metricEntry(k)!);
    const q: AggregateQuery = {
      table: chooseTable('interactions', new Set(['agent', 'team']))!,
      source: 'interactions',
      measures: measuresFor(entries, 'interactions'),
      grain: 'month',
      by: 'agent',
      filters: { teamIds: [1, 2], channels: ['phone'] },
      from: '2024-01-01',
      to: '2024-03-31',
      shift: { months: 1 },
    };
    expect({ aggregate: render(aggregateSql(q)), histogram: render(waitHistogramSql(q)) }).toMatchSnapshot();
  });
});
