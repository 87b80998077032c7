// The sections of Admin and who may open them: admins everything; leaders curate quotes.
import type { Role } from '$lib/api';

export interface AdminSection {
  slug: string;
  title: string;
  text: string;
  roles: readonly Role[];
}

export const ADMIN_SECTIONS: readonly AdminSection[] = [
  {
    slug: 'import',
    title: 'Import',
    text: 'Load teams, agents, customers, interactions, surveys and referrals from CSV. Upsert by external id; a check runs every row first and nothing is written until the file is clean.',
    roles: ['admin'],
  },
  {
    slug: 'quotes',
    title: 'Quotes',
    text: 'Pick the customer quote every dashboard features, hide personal details, route praise to the team that earned it and close the loop with the customer.',
    roles: ['admin', 'leader'],
  },
  {
    slug: 'goals',
    title: 'Goals & statement',
    text: 'Set specific, time-bound targets per metric and write the CX success statement everyone works towards.',
    roles: ['admin'],
  },
  {
    slug: 'annotations',
    title: 'Annotations',
    text: 'Mark events — a launch, an outage, a new script — so the trends explain themselves.',
    roles: ['admin'],
  },
  {
    slug: 'access',
    title: 'Access tokens',
    text: 'Create and revoke tokens and login links for leaders, managers (their teams only) and wallboards, and write-only tokens for platforms’ webhooks. Least privilege by default.',
    roles: ['admin'],
  },
  {
    slug: 'audit',
    title: 'Audit log',
    text: 'Who changed what and when: imports, curation, goals, settings and access.',
    roles: ['admin'],
  },
];

/** The sections a role may open, in order. */
export function sectionsFor(role: Role): AdminSection[] {
  return ADMIN_SECTIONS.filter((s) => s.roles.includes(role));
}

/** Whether a role may open `/admin/<slug>` ('' is the overview: every role with a section). */
export function mayOpen(role: Role, slug: string): boolean {
  if (slug === '') return sectionsFor(role).length > 0;
  const section = ADMIN_SECTIONS.find((s) => s.slug === slug);
  return section ? section.roles.includes(role) : role === 'admin';
}
