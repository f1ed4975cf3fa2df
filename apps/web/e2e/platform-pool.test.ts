// The platform pool on the workers page, on a server whose operator made one
// (HZ_PLATFORM_POOL_TEAM): a team's admin switches its runs to the pool's workers and back; a
// viewer only reads where they go.
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { seedMember, seedTeam } from '@hyperzoo/api-routers/testing';

import { failOnPageProblems, openPage } from './harness';
import { logIn, screenshot, startStack } from './stack';
import type { TStack } from './stack';

const poolSlug = `pool-${randomUUID().slice(0, 8)}`;
let stack: TStack;
let team: Awaited<ReturnType<typeof seedTeam>>;

failOnPageProblems();

beforeAll(async () => {
  stack = await startStack(
    async (t) => {
      await seedTeam(t.db, poolSlug);
      team = await seedTeam(t.db);
    },
    { apiEnv: { HZ_PLATFORM_POOL_TEAM: poolSlug } },
  );
}, 600_000);

afterAll(async () => {
  await stack?.close();
});

describe('the platform pool on the workers page', () => {
  it('an admin sends the team’s runs to the platform pool and back', async () => {
    const { page } = await openPage(stack.browser);
    await logIn(page, stack.webUrl, team.email, team.password);
    await page.waitForURL(/\/runs$/, { timeout: 30_000 });
    await page.goto(`${stack.webUrl}/teams/${team.teamSlug}/workers`);
    const pool = page.getByTestId('platform-pool');
    await expect.poll(() => pool.textContent(), { timeout: 30_000 }).toContain('This team’s own workers take its runs');
    await pool.getByRole('button', { name: 'Use the platform pool' }).click();
    await expect.poll(() => pool.textContent(), { timeout: 30_000 }).toContain('The platform pool’s workers take this team’s runs.');
    expect((await stack.t.db.team.findUniqueOrThrow({ where: { id: team.teamId } })).usesPlatformPool).toBe(true);
    await expect.poll(() => page.locator('.empty').textContent()).toContain('the platform pool’s take its runs');
    await screenshot(page, 'workers-platform-pool.png');
    await pool.getByRole('button', { name: 'Use our own workers' }).click();
    await expect.poll(() => pool.textContent(), { timeout: 30_000 }).toContain('This team’s own workers take its runs');
    expect((await stack.t.db.team.findUniqueOrThrow({ where: { id: team.teamId } })).usesPlatformPool).toBe(false);
  });

  it('a viewer sees where the runs go, without the switch', async () => {
    const viewer = await seedMember(stack.t.db, team.teamId, 'viewer');
    const { page } = await openPage(stack.browser);
    const [name, value] = viewer.cookie.split('=') as [string, string];
    await page.context().addCookies([{ name, value, url: stack.webUrl }]);
    await page.goto(`${stack.webUrl}/teams/${team.teamSlug}/workers`);
    // The role is known once the header lists the viewer's teams (the same auth.me answer).
    await page.locator('.team-nav a', { hasText: team.teamSlug }).waitFor();
    await expect.poll(() => page.getByTestId('platform-pool').textContent(), { timeout: 30_000 }).toContain('This team’s own workers take its runs');
    expect(await page.getByTestId('platform-pool').getByRole('button').count()).toBe(0);
  });
});
