import { z } from 'zod';

import { ZSlug } from './api';
import { zText } from './text';

/** Team roles, highest first (Prisma's Role enum). */
export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export const ZRole = z.enum(ROLES);
export type TRoleName = z.infer<typeof ZRole>;

const zName = zText(200).trim().min(1);

export const ZSignUpInput = z.object({
  email: z.email().max(320),
  name: zName,
  password: z.string().min(10, 'at least 10 characters').max(1000),
  /** The new user's own team; default: from the email's local part. */
  teamSlug: ZSlug.optional(),
});

export const ZTeamSummary = z.object({ slug: z.string(), name: z.string(), createdAt: z.date(), role: ZRole });
export type TTeamSummary = z.infer<typeof ZTeamSummary>;
export const ZTeamDetail = ZTeamSummary.extend({
  memberCount: z.number().int(),
  projectCount: z.number().int(),
  /** Its runs go to the platform pool's workers (teams.setPlatformPool). */
  usesPlatformPool: z.boolean(),
  /** Whether the platform has a pool (HZ_PLATFORM_POOL_TEAM), and whether this team is it. */
  platformPool: z.enum(['none', 'available', 'this-team']),
});
export const ZSetPlatformPoolInput = z.object({ enabled: z.boolean() });
export const ZSetPlatformPoolResult = z.object({ usesPlatformPool: z.boolean(), moved: z.number().int() });

export const ZCreateTeamInput = z.object({ slug: ZSlug, name: zName });
export const ZRenameInput = z.object({ name: zName });

export const ZMember = z.object({ userId: z.string(), email: z.string(), name: z.string(), role: ZRole, joinedAt: z.date() });
export type TMember = z.infer<typeof ZMember>;

export const ZCreateInvitationInput = z.object({
  /** Who it is for (an email or a name), for the team's records; the token is what admits. */
  invitee: zText(320).trim().min(1),
  role: ZRole.default('member'),
  expiresInDays: z.number().int().min(1).max(90).default(7),
});

export const ZInvitationStatus = z.enum(['pending', 'accepted', 'revoked', 'expired']);
export const ZInvitation = z.object({
  id: z.string(),
  invitee: z.string(),
  role: ZRole,
  status: ZInvitationStatus,
  createdAt: z.date(),
  expiresAt: z.date(),
});
export type TInvitation = z.infer<typeof ZInvitation>;
/** Only in the answer to create: the one-time token, shown once. */
export const ZCreatedInvitation = ZInvitation.extend({ token: z.string() });

/** `hzi_<secret>`: what `hz join` takes. */
export const ZInvitationToken = z.string().min(1).max(200).regex(/^hzi_[\w-]+$/, 'an invitation token (hzi_...)');

export const ZProjectSummary = z.object({ slug: z.string(), name: z.string(), createdAt: z.date(), archived: z.boolean(), runCount: z.number().int() });
export type TProjectSummary = z.infer<typeof ZProjectSummary>;
export const ZCreateProjectInput = z.object({ projectSlug: ZSlug, name: zName.optional() });
