import { z } from 'zod';

import { zText } from './text';

/** API-key scopes; each stands for a team role (libs/api-routers services/access.ts). */
export const API_KEY_SCOPES = ['runs:read', 'runs:write', 'admin', 'worker'] as const;
export const ZApiKeyScope = z.enum(API_KEY_SCOPES);
export type TApiKeyScope = z.infer<typeof ZApiKeyScope>;

export const ZCreateApiKeyInput = z.object({
  name: zText(100).min(1),
  /** None given: runs:read, plus runs:write for a member or above (what the caller's role allows of the two). */
  scopes: z.array(ZApiKeyScope).min(1).max(API_KEY_SCOPES.length).optional(),
  /** Days until the key stops working; none: until revoked. */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

/** A key as listed: the prefix identifies it; the secret is never stored, only its hash. */
export const ZApiKeySummary = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  expiresAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});
export type TApiKeySummary = z.infer<typeof ZApiKeySummary>;

/** Only in the answer to create: the whole key, shown once. */
export const ZCreatedApiKey = ZApiKeySummary.extend({ key: z.string() });
