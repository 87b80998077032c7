// Closed lists the schema checks and every layer above names: plain values, no imports, so the
// web app can bundle them (through api/shared/constants.ts) without the database code.

/** Every role a token may have. */
export const ROLES = ['admin', 'leader', 'manager', 'display', 'ingest'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The contract's channels: what real platforms report, web forms, apps, SMS, messaging apps
 * (WhatsApp and the like), video and self-service (IVR, bots) beside the first six. A fixed list
 * keeps by=channel and filters comparable.
 */
export const CHANNELS = [
  'phone',
  'chat',
  'email',
  'social',
  'in_person',
  'other',
  'web',
  'app',
  'sms',
  'messaging',
  'video',
  'self_service',
] as const;
export type Channel = (typeof CHANNELS)[number];

/** What a team is for (teams.kind). */
export const TEAM_KINDS = ['support', 'sales', 'success', 'product', 'digital', 'facilities', 'other'] as const;

/** The contract's kinds of record, in the order they reference each other. */
export const KINDS = ['teams', 'agents', 'customers', 'interactions', 'surveys', 'referrals'] as const;
export type Kind = (typeof KINDS)[number];
