// What a metrics request costs before anything is read (periods × values of `by` in scope ×
// metrics, doubled by compare=previous), and the 400 that names the limit and how to ask for less.
import { CHANNELS } from '../../db/schema';
import { limitReached } from '../errors';
import { METRICS_MAX_CELLS } from '../limits';
import { WAIT_BUCKETS } from '../rollups/definitions';
import type { MetricsRequest } from './engine';
import { periodCount } from './periods';
import type { Dimension } from './registry';
import type { Reference } from './reference';
import type { ResolvedFilters } from './sources';

/**
 * How many values of `by` can appear within the filters and scope: the reference data's count
 * (the agents of the teams in scope, the channels asked for …) and one more for "none" (a survey
 * with no interaction has no channel or wait; an interaction may have no agent or stage).
 */
function groupCount(by: Dimension | undefined, f: ResolvedFilters, ref: Reference): number {
  if (!by) return 1;
  switch (by) {
    case 'team':
      return (f.teamIds?.length ?? ref.teams.length) + 1;
    case 'agent': {
      if (f.agentIds) return f.agentIds.length + 1;
      const teams = f.teamIds ? new Set(f.teamIds) : null;
      return (teams ? ref.agents.filter((a) => teams.has(a.teamId)).length : ref.agents.length) + 1;
    }
    case 'channel':
      return (f.channels?.length ?? CHANNELS.length) + 1;
    case 'journey_stage':
      return (f.journeyStageIds?.length ?? ref.stages.length) + 1;
    case 'contact_reason':
      return (f.contactReasonIds?.length ?? ref.reasons.length) + 1;
    case 'wait_bucket':
      return WAIT_BUCKETS.length + 1;
    case 'segment':
      return (f.segmentIds?.length ?? ref.segments.length) + 1;
  }
}

/** The cells (values) a request can answer, worked out before anything is read. */
export function metricsCost(req: MetricsRequest, metricCount: number, f: ResolvedFilters, ref: Reference) {
  const periods = periodCount(req.from, req.to, req.grain);
  const groups = groupCount(req.by, f, ref);
  const factor = req.compare === 'previous' ? 2 : 1;
  return { periods, groups, metrics: metricCount, factor, cells: periods * groups * metricCount * factor };
}

export function checkCost(req: MetricsRequest, cost: ReturnType<typeof metricsCost>) {
  if (cost.cells <= METRICS_MAX_CELLS) return;
  const n = (x: number) => x.toLocaleString('en');
  const parts = [
    `${n(cost.periods)} ${req.grain === 'total' ? 'total' : req.grain} period${cost.periods === 1 ? '' : 's'}`,
  ];
  if (req.by) parts.push(`${n(cost.groups)} ${req.by} values`);
  parts.push(
    `${cost.metrics} metric${cost.metrics === 1 ? '' : 's'}${cost.metrics > req.metrics.length ? ' (partners included)' : ''}`,
  );
  if (cost.factor === 2) parts.push('2 (compare=previous)');
  const coarser =
    req.grain === 'day'
      ? 'a coarser grain (week or month), '
      : req.grain === 'week'
        ? 'a coarser grain (month or total), '
        : '';
  throw limitReached(
    400,
    'metrics-cells',
    `This request would compute ${n(cost.cells)} values (${parts.join(' × ')}); one request may compute at most ${n(METRICS_MAX_CELLS)}. Ask for less: ${coarser}a shorter range${req.by ? `, a filter that narrows '${req.by}' (team=, agent=, channel=, segment=) or no 'by'` : ''}${cost.metrics > 1 ? ', fewer metrics' : ''}${cost.factor === 2 ? ', or no compare=previous' : ''}, or split the range over several requests.`,
    undefined,
    { cells: cost.cells, max_cells: METRICS_MAX_CELLS },
  );
}
