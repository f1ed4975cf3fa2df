import { z } from 'zod';

import { ZCreateProjectInput, ZProjectSummary, ZRenameInput, ZSlug } from '@hyperzoo/schemas';

import { createProject, listProjects, renameProject, setProjectArchived } from '../services/projects';
import { createTRPCRouter, teamProcedure } from '../trpc';

export const projectsRouter = createTRPCRouter({
  /** Archived ones too, flagged. */
  list: teamProcedure('viewer')
    .output(z.array(ZProjectSummary))
    .query(({ ctx }) => listProjects(ctx.db, ctx.team.teamId)),
  create: teamProcedure('member')
    .input(ZCreateProjectInput)
    .output(ZProjectSummary)
    .mutation(({ ctx, input }) => createProject(ctx.db, ctx.team.teamId, { slug: input.projectSlug, name: input.name })),
  rename: teamProcedure('admin')
    .input(ZRenameInput.extend({ projectSlug: ZSlug }))
    .output(ZProjectSummary)
    .mutation(({ ctx, input }) => renameProject(ctx.db, ctx.team.teamId, input.projectSlug, input.name)),
  /** Archived projects keep their runs and refuse new ones; `archived: false` unarchives. */
  archive: teamProcedure('admin')
    .input(z.object({ projectSlug: ZSlug, archived: z.boolean().default(true) }))
    .output(ZProjectSummary)
    .mutation(({ ctx, input }) => setProjectArchived(ctx.db, ctx.team.teamId, input.projectSlug, input.archived)),
});
