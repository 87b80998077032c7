// Shared by the views: runs metrics the way GET /api/v1/metrics would, records each request's
// equivalent query string, and applies to each metric only the filters it supports.
import type { Database } from '../../db/client';
import {
  runMetrics,
  type MetricsRequest,
  type MetricsResult,
  type MetricsRow,
  type MetricValue,
  type Scope,
} from '../metrics/engine';
import { metric } from '../metrics/registry';

/** The query string of the equivalent GET /api/v1/metrics request. */
export function metricsQuery(req: MetricsRequest): string {
  const q = new URLSearchParams({ metrics: req.metrics.join(','), from: req.from, to: req.to, grain: req.grain });
  if (req.by) q.set('by', req.by);
  for (const [k, v] of Object.entries(req.filters)) if (v?.length) q.set(k, v.join(','));
  if (req.compare) q.set('compare', req.compare);
  if (req.minN !== undefined) q.set('min_n', String(req.minN));
  return `/api/v1/metrics?${q.toString().replaceAll('%2C', ',')}`;
}

export const orEmpty = (v: MetricValue | undefined): MetricValue => v ?? { value: null, n: 0 };

export interface SupportedResult {
  rows: MetricsRow[];
  /** 'organisation' for a metric the filters could not apply to (churn, CLV, referrals; retention by channel). */
  scopeOf: Map<string, 'filtered' | 'organisation'>;
  warnings: string[];
}

/** A metrics runner bound to a database and a viewer's scope that keeps the equivalent queries. */
export class ViewQueries {
  readonly queries: string[] = [];

  constructor(
    private readonly database: Database,
    private readonly scope: Scope,
  ) {}

  run(r: MetricsRequest): Promise<MetricsResult> {
    this.queries.push(metricsQuery(r));
    return runMetrics(this.database, r, this.scope);
  }

  /**
   * Runs `metrics` with the filters each one supports: churn, CLV and referrals are organisation
   * metrics, employee retention has teams but no channels. Rows are merged by period.
   */
  async supported(r: Omit<MetricsRequest, 'filters'>, filters: MetricsRequest['filters']): Promise<SupportedResult> {
    const groups = new Map<string, { filters: MetricsRequest['filters']; metrics: string[] }>();
    for (const key of r.metrics) {
      const d = metric(key)!;
      const kept = Object.fromEntries(
        Object.entries(filters).filter(([f]) => (d.dimensions as readonly string[]).includes(f)),
      );
      const id = Object.keys(kept).join(',');
      const g = groups.get(id) ?? { filters: kept as MetricsRequest['filters'], metrics: [] as string[] };
      g.metrics.push(key);
      groups.set(id, g);
    }
    const list = [...groups.values()];
    const results = await Promise.all(list.map((g) => this.run({ ...r, metrics: g.metrics, filters: g.filters })));
    // Each group contributes only its own metrics (not the partners the engine adds to it).
    const rows: MetricsRow[] = results[0]!.rows.map((row, i) => ({
      ...row,
      values: Object.fromEntries(
        list.flatMap((g, j) => g.metrics.map((k) => [k, results[j]!.rows[i]?.values[k]])),
      ) as Record<string, MetricValue>,
    }));
    const all = Object.keys(filters).length;
    const scopeOf = new Map<string, 'filtered' | 'organisation'>();
    for (const g of list)
      for (const k of g.metrics) scopeOf.set(k, Object.keys(g.filters).length === all ? 'filtered' : 'organisation');
    return { rows, scopeOf, warnings: results.flatMap((res) => res.meta.warnings) };
  }
}
