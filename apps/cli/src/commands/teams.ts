import { type Command, InvalidArgumentError } from 'commander';
import type { z } from 'zod';

import { ROLES, ZInvitationToken, ZRole, ZSlug } from '@hyperzoo/schemas';
import type { TProjectSummary, TRoleName, TTeamSummary } from '@hyperzoo/schemas';

import { createApiClient, resolveTeam } from '../api';
import type { TApiFlags } from '../api';
import { print, withApiOptions } from './api-options';

type TFlags = TApiFlags & { json?: boolean; team?: string };

const parseWith = <T>(schema: z.ZodType<T>, what: string) => (value: string): T => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`${what}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
};

const day = (d: Date) => d.toISOString().slice(0, 10);
const formatTeam = (t: TTeamSummary) => [t.slug, t.role, t.name].join('  ');
const formatProject = (p: TProjectSummary) => [p.slug, `${p.runCount} runs`, p.archived ? 'archived' : 'active', p.name, `created ${day(p.createdAt)}`].join('  ');
const teamOption = (cmd: Command) => cmd.option('--team <slug>', 'team (default: the API key’s team)');

/** `hz teams ls|pool`, `hz projects ls|create`, `hz invite`, `hz join`. */
export function registerTeamsCommands(program: Command): void {
  const teams = program.command('teams').description('your teams');
  withApiOptions(teams.command('ls').description('your teams and your role in each (an API key sees its own team)')).action(async (opts: TFlags) => {
    const list = await createApiClient(opts).teams.list.query();
    print(opts.json, list, () => (list.length ? list.map(formatTeam).join('\n') : 'no teams'));
  });
  teamOption(withApiOptions(teams.command('pool').description('whether the team’s runs go to the platform’s shared workers; on/off (needs an admin key) moves its waiting runs there or back')))
    .argument('[state]', 'on or off (none: show it)', (v: string) => {
      if (v !== 'on' && v !== 'off') throw new InvalidArgumentError(`expected on or off, got "${v}"`);
      return v;
    })
    .action(async (state: 'on' | 'off' | undefined, opts: TFlags) => {
      const api = createApiClient(opts);
      const teamSlug = await resolveTeam(api, opts.team);
      if (state !== undefined) {
        const set = await api.teams.setPlatformPool.mutate({ teamSlug, enabled: state === 'on' });
        print(opts.json, set, () => `${teamSlug}: ${set.usesPlatformPool ? 'the platform pool’s workers' : 'its own workers'} now take its runs (${set.moved} waiting run${set.moved === 1 ? '' : 's'} moved)`);
        return;
      }
      const team = await api.teams.get.query({ teamSlug });
      const pool = { usesPlatformPool: team.usesPlatformPool, platformPool: team.platformPool };
      print(opts.json, pool, () =>
        team.platformPool === 'none'
          ? `${teamSlug}: its own workers (this platform has no shared pool)`
          : team.platformPool === 'this-team'
            ? `${teamSlug} is the platform pool: its workers also serve the teams that opted in`
            : `${teamSlug}: ${team.usesPlatformPool ? 'the platform pool’s workers' : 'its own workers'} (hz teams pool ${team.usesPlatformPool ? 'off' : 'on'} to change)`,
      );
    });

  const projects = program.command('projects').description('the team’s projects');
  teamOption(withApiOptions(projects.command('ls').description('projects, archived ones flagged'))).action(async (opts: TFlags) => {
    const api = createApiClient(opts);
    const list = await api.projects.list.query({ teamSlug: await resolveTeam(api, opts.team) });
    print(opts.json, list, () => list.map(formatProject).join('\n'));
  });
  teamOption(withApiOptions(projects.command('create').description('a new project (lowercase letters, digits and dashes)')))
    .argument('<slug>', 'project slug', parseWith(ZSlug, 'project slug'))
    .option('--name <name>', 'display name (default: the slug)')
    .action(async (slug: string, opts: TFlags & { name?: string }) => {
      const api = createApiClient(opts);
      const project = await api.projects.create.mutate({ teamSlug: await resolveTeam(api, opts.team), projectSlug: slug, name: opts.name });
      print(opts.json, project, () => formatProject(project));
    });

  teamOption(withApiOptions(program.command('invite').description('invite someone to the team (needs an admin key); prints a one-time token for hz join')))
    .argument('<invitee>', 'who it is for: an email or a name')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, parseWith(ZRole, 'role'), 'member')
    .option('--expires-in-days <n>', 'days the token stays valid (1 to 90)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 90) throw new InvalidArgumentError(`expected 1 to 90 days, got "${v}"`);
      return n;
    }, 7)
    .action(async (invitee: string, opts: TFlags & { role: TRoleName; expiresInDays: number }) => {
      const api = createApiClient(opts);
      const created = await api.invitations.create.mutate({ teamSlug: await resolveTeam(api, opts.team), invitee, role: opts.role, expiresInDays: opts.expiresInDays });
      print(opts.json, created, () => `${created.invitee} invited as ${created.role}, valid until ${created.expiresAt.toISOString()}\n\n${created.token}\n\nsend it to them (hz join <token>): it is not shown again`);
    });

  withApiOptions(program.command('join').description('accept an invitation: join its team with your API key’s user'))
    .argument('<token>', 'the token from hz invite', parseWith(ZInvitationToken, 'token'))
    .action(async (token: string, opts: TFlags) => {
      const joined = await createApiClient(opts).invitations.accept.mutate({ token });
      print(opts.json, joined, () => `joined ${joined.teamSlug} as ${joined.role}`);
    });
}
