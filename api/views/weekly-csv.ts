// The weekly review as CSV: every number on the page, one row per value, in the page's order.
import type { MetricValue } from '../metrics/engine';
import type { WeeklyView } from './weekly';

const HEADER = [
  'section',
  'item',
  'metric',
  'period',
  'value',
  'n',
  'low',
  'high',
  'previous',
  'change',
  'significant',
  'target',
  'met',
  'scope',
];

/**
 * One CSV cell. Text that a spreadsheet would read as a formula (=, +, -, @, tab or carriage
 * return first: journey stages and contact reasons come from imported data) gets a leading
 * apostrophe, since spreadsheets drop the quotes before they evaluate; the numbers the app works
 * out (a negative change) stay numbers.
 */
export const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

function line(
  section: string,
  item: string,
  metric: string,
  period: string,
  v: Partial<MetricValue> & { scope?: string },
): string {
  return [
    section,
    item,
    metric,
    period,
    v.value,
    v.n,
    v.low,
    v.high,
    v.previous?.value,
    v.change,
    v.significant,
    v.target,
    v.met,
    v.scope,
  ]
    .map(csvCell)
    .join(',');
}

export function weeklyCsv(view: WeeklyView): string {
  const out = [HEADER.map(csvCell).join(',')];
  const w = view.week.label;
  for (const p of view.pairs)
    for (const c of [...p.operational, ...p.experiential]) out.push(line('pair', p.key, c.metric, w, c));
  for (const c of view.context) out.push(line('context', '', c.metric, w, c));
  for (const [metric, points] of Object.entries(view.trends.series)) {
    points.forEach((pt, i) => out.push(line('trend', '', metric, view.trends.weeks[i]!.label, pt)));
  }
  const baseline = `${view.patience.baseline.from}..${view.patience.baseline.to}`;
  for (const b of view.patience.buckets) {
    out.push(line('patience', b.bucket, 'csat', w, b.week));
    out.push(line('patience_baseline', b.bucket, 'csat', baseline, b.baseline));
  }
  for (const r of view.reasons) {
    out.push(line('contact_reason', r.reason, 'contacts', w, r.contacts));
    out.push(line('contact_reason', r.reason, 'csat', w, r.csat));
  }
  for (const s of view.stages)
    for (const [metric, v] of Object.entries(s.values)) out.push(line('journey_stage', s.stage ?? '', metric, w, v));
  for (const c of view.channels)
    for (const [metric, v] of Object.entries(c.values)) out.push(line('channel', c.channel ?? '', metric, w, v));
  // Segments: a suppressed value (n under the view's min_n) has its n and no value.
  const seg = view.segments;
  const segWindow = `${seg.window.from}..${seg.window.to}`;
  for (const r of seg.rows) {
    for (const metric of seg.metrics) {
      out.push(line('segment', r.segment ?? '', metric, w, { ...r.week[metric], scope: seg.scope[metric] }));
      out.push(
        line('segment_13_weeks', r.segment ?? '', metric, segWindow, { ...r.window[metric], scope: seg.scope[metric] }),
      );
    }
  }
  return out.join('\r\n') + '\r\n';
}
