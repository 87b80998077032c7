// What the views need to know about a metric (from GET /api/v1/metrics/catalog), shared by the web
// app and the server-drawn charts so both label and format a metric alike.

export type Unit = 'proportion' | 'seconds' | 'count' | 'currency' | 'per_100' | 'nps' | 'score';
export type Better = 'higher' | 'lower' | 'none';

export interface MetricInfo {
  key: string;
  label: string;
  unit: Unit;
  better: Better;
}

export type Catalog = Record<string, MetricInfo>;

const UNITS: readonly Unit[] = ['proportion', 'seconds', 'count', 'currency', 'per_100', 'nps', 'score'];

/** The catalog by key, with the fields the views use. */
export function catalogByKey(
  defs: ReadonlyArray<{ key: string; label: string; unit: string; better: string }>,
): Catalog {
  const out: Catalog = {};
  for (const d of defs) {
    out[d.key] = {
      key: d.key,
      label: d.label,
      unit: (UNITS as readonly string[]).includes(d.unit) ? (d.unit as Unit) : 'count',
      better: d.better === 'higher' || d.better === 'lower' ? d.better : 'none',
    };
  }
  return out;
}

/** A metric's catalog entry, or a neutral stand-in for a key the catalog does not know. */
export function info(catalog: Catalog, key: string): MetricInfo {
  return catalog[key] ?? { key, label: key, unit: 'count', better: 'none' };
}
