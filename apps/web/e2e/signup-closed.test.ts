// Sign-up on a server whose operator turned it off (HZ_SIGN_UP=false): the page says so plainly
// before anyone fills a form (auth.policy), and an invitation link still opens the door.
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { seedTeam } from '@hyperzoo/api-routers/testing';

import { failOnPageProblems, openPage } from './harness';
import { logIn, screenshot, startStack } from './stack';
import type { TStack } from './stack';

let stack: TStack;
let team: Awaited<ReturnType<typeof seedTeam>>;

failOnPageProblems();

beforeAll(async () => {
  stack = await startStack(
    async (t) => {
      team = await seedTeam(t.db);
    },
    { apiEnv: { HZ_SIGN_UP: 'false' } },
  );
}, 600_000);

afterAll(async () => {
  await stack?.close();
});

async function fillSignUp(page: Awaited<ReturnType<typeof openPage>>['page'], email: string) {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Name', { exact: true }).fill('Olga Outsider');
  await page.getByLabel(/^Password/).fill('a long enough password');
  await page.getByRole('button', { name: 'Sign up' }).click();
}

describe('sign-up turned off', () => {
  it('tells a visitor up front to ask for an invitation; with an invitation the account is made and joins the team', async () => {
    const { page } = await openPage(stack.browser);
    await page.goto(`${stack.webUrl}/signup`);
    const closed = page.getByRole('region', { name: 'Sign-up closed' });
    await closed.waitFor();
    expect(await closed.textContent()).toBe('Sign-up is turned off on this server. Ask a team admin for an invitation link.');
    // No form to fill in vain.
    expect(await page.getByRole('form', { name: 'Sign up' }).count()).toBe(0);
    expect(await page.getByLabel('Email', { exact: true }).count()).toBe(0);
    await screenshot(page, 'signup-closed.png');

    // The team's owner invites her; the link's token lets the same visitor in, straight into the team.
    const owner = (await openPage(stack.browser)).page;
    await logIn(owner, stack.webUrl, team.email, team.password);
    await owner.waitForURL(/\/teams\/[^/]+\/runs/);
    await owner.goto(`${stack.webUrl}/teams/${team.teamSlug}/members`);
    await owner.getByLabel('Invitee (email or name)').fill('olga');
    await owner.getByRole('button', { name: 'Create invitation' }).click();
    const token = new URL((await owner.getByLabel('Invitation link').textContent()) ?? '').searchParams.get('token') ?? '';
    expect(token).toMatch(/^hzi_/);
    await page.goto(`${stack.webUrl}/signup?invitation=${encodeURIComponent(token)}`);
    await page.getByText('You were invited to a team: your new account joins it.').waitFor();
    expect(await page.getByLabel(/^Team slug/).count()).toBe(0);
    await fillSignUp(page, `olga-${randomUUID().slice(0, 8)}@example.test`);
    await page.waitForURL(new RegExp(`/teams/${team.teamSlug}/runs$`));
  });
});
