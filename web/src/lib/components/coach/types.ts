// The coaching views' data, as the API answers it (GET /api/v1/views/coach…, /api/v1/coach/…):
// each type is a route's own inferred answer (api/routes/coach.ts), or a part of one.
import type { MetricValue } from '../../../../../api/metrics/engine';
import type { PairKey } from '../../../../../api/metrics/registry';
import type { Answer, V1 } from '../../client';

/** A metric for a period: value with its n and 95% interval; `suppressed` when n is below the minimum (the engine's own type). */
export type { MetricValue };

/** GET /api/v1/views/coach */
export type CoachView = Answer<V1['views']['coach']['$get']>;
/** GET /api/v1/views/coach/team/{id} */
export type TeamView = Answer<V1['views']['coach']['team'][':id']['$get']>;
/** GET /api/v1/views/coach/agent/{id}; `notes` is null when the role may not read coaching notes (leaders). */
export type AgentView = Answer<V1['views']['coach']['agent'][':id']['$get']>;

export type Period = CoachView['period'];
export type CoachTeam = CoachView['teams'][number];
export type Week = CoachTeam['trend']['weeks'][number];
/** One week of a trend. */
export type TrendPoint = AgentView['trends']['series'][string][number];

export type RosterAgent = TeamView['roster'][number];
export type RosterValues = TeamView['team_values'];
export type IntegrityNote = TeamView['integrity'][number];
export type PraiseItem = TeamView['praise_received'][number];

export type PairId = PairKey;
export type CoachingNote = NonNullable<AgentView['notes']>[number];
export type EffectMetric = CoachingNote['effect']['metrics'][number];
