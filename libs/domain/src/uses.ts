/** What a licensee may do with a work. Consent is given per work and per use. */
export const USES = ['train', 'fine_tune', 'retrieval', 'evaluation'] as const;
export type Use = (typeof USES)[number];
export const isUse = (s: unknown): s is Use => typeof s === 'string' && (USES as readonly string[]).includes(s);

export const ROLES = ['creator', 'licensee', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];
