// Customer and referral day rows of one or more customer segments, in the shape the organisation
// metrics read (one row per day): churn, CLV and referral rate per segment are the organisation's
// formulas over the segment's own customers and the referrals they made.
import type { Reference } from './reference';

type CustomerDay = Reference['org']['customers'][number];
type ReferralDay = Reference['org']['referrals'][number];

export interface SegmentRows {
  customers: CustomerDay[];
  referrals: ReferralDay[];
}

/** Per reference copy, by the segment ids asked for: the same arrays each time (the metrics index them by identity). */
const cache = new WeakMap<Reference, Map<string, SegmentRows>>();

const CUSTOMER_MEASURES = [
  'starts',
  'churns',
  'starts_valued',
  'starts_value',
  'churns_valued',
  'churns_value',
] as const;

/** The customers' and referrals' day rows of the segments `ids` (0: customers without a segment), summed by day. */
export function segmentRows(ref: Reference, ids: readonly number[]): SegmentRows {
  const key = [...new Set(ids)].sort((a, b) => a - b).join(',');
  let byKey = cache.get(ref);
  if (!byKey) cache.set(ref, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return hit;
  const keep = new Set(ids);
  const customers = new Map<string, CustomerDay>();
  for (const r of ref.bySegment.customers) {
    if (!keep.has(r.segment_id)) continue;
    const d = customers.get(r.day);
    if (!d)
      customers.set(r.day, {
        day: r.day,
        starts: r.starts,
        churns: r.churns,
        starts_valued: r.starts_valued,
        starts_value: r.starts_value,
        churns_valued: r.churns_valued,
        churns_value: r.churns_value,
      });
    else for (const m of CUSTOMER_MEASURES) d[m] += r[m];
  }
  const referrals = new Map<string, ReferralDay>();
  for (const r of ref.bySegment.referrals) {
    if (!keep.has(r.segment_id)) continue;
    const d = referrals.get(r.day);
    if (!d) referrals.set(r.day, { day: r.day, referrals: r.referrals, converted: r.converted });
    else {
      d.referrals += r.referrals;
      d.converted += r.converted;
    }
  }
  const byDay = <T extends { day: string }>(m: Map<string, T>) =>
    [...m.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const out = { customers: byDay(customers), referrals: byDay(referrals) };
  byKey.set(key, out);
  return out;
}

/** The segment ids with customers or referrals (0 when some customers have no segment). */
export function segmentsWithCustomers(ref: Reference): number[] {
  return [
    ...new Set([
      ...ref.bySegment.customers.map((r) => r.segment_id),
      ...ref.bySegment.referrals.map((r) => r.segment_id),
    ]),
  ];
}
