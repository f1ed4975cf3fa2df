// Identity, projects, leaderboards and the run page's model panels in Chromium (e2e/harness.ts:
// real database, API, Next production build; a real worker trains the run that "try it" asks).
// Sign up, switch team and project, invite and accept, pin, viewer without controls, artifacts, predictions.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTeamWithOwner } from '@hyperzoo/api-routers';
import { seedTeam } from '@hyperzoo/api-routers/testing';
import { createHyperzooClient } from '@hyperzoo/client';
import type { Prisma } from '@hyperzoo/db';
import type { TestDatabase } from '@hyperzoo/db/testing';
import { ARTIFACT_SHA256_HEADER, ZRunConfig } from '@hyperzoo/schemas';

import { expectConsoleError, failOnPageProblems, openPage } from './harness';
import { logIn, REDIS_URL, screenshot, startStack } from './stack';
import type { TStack } from './stack';
import { startWorker } from './worker';
import type { TWorker } from './worker';

const FASHION_MNIST = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const id8 = () => randomUUID().slice(0, 8);
const teamSlug = `idt-${id8()}`;
const otherTeamSlug = `idt2-${id8()}`;
const foreignTeamSlug = `foreign-${id8()}`;
const viewer = { email: `viewer-${id8()}@example.test`, name: 'Vic Viewer', password: `pw-${randomUUID()}` };
const queuePrefix = `test-${randomUUID()}`;
const artifactStore = mkdtempSync(path.join(tmpdir(), 'hz-web-e2e-artifacts-'));

let stack: TStack;
let owner: Awaited<ReturnType<typeof seedTeam>>;
let worker: TWorker | undefined;
let foreignRunId = '';
let noModelRunId = '';
const boardRuns: { id: string; name: string }[] = [];

/** Finished runs with their stored summaries, as the leaderboard reads them: three architectures, two projects. */
const BOARD = [
  { name: 'lenet5-best', architecture: 'lenet5', project: 'default', testAccuracy: 0.91, gapAccuracy: 0.03, paramCount: 61_706 },
  { name: 'lenet5-second', architecture: 'lenet5', project: 'zoo', testAccuracy: 0.88, gapAccuracy: 0.05, paramCount: 61_706 },
  { name: 'alexnet-mid', architecture: 'alexnet', project: 'zoo', testAccuracy: 0.86, gapAccuracy: 0.09, paramCount: 1_250_000 },
  { name: 'mlp-last', architecture: 'mlp', project: 'default', testAccuracy: 0.82, gapAccuracy: 0.01, paramCount: 101_770 },
] as const;

async function seed(db: TestDatabase['db']) {
  owner = await seedTeam(db, teamSlug);
  await createTeamWithOwner(db, { slug: otherTeamSlug, name: 'Second team', owner: { email: owner.email, name: owner.email, password: owner.password } });
  const { userId: viewerId } = await createTeamWithOwner(db, { slug: `own-${id8()}`, name: 'Viewer own team', owner: viewer });
  await db.membership.create({ data: { teamId: owner.teamId, userId: viewerId, role: 'viewer' } });
  const projects = {
    default: (await db.project.findFirstOrThrow({ where: { teamId: owner.teamId, slug: 'default' }, select: { id: true } })).id,
    zoo: (await db.project.create({ data: { teamId: owner.teamId, slug: 'zoo', name: 'Zoo' }, select: { id: true } })).id,
  };
  for (const b of BOARD) {
    const run = await db.run.create({
      data: {
        projectId: projects[b.project],
        name: b.name,
        status: 'succeeded',
        config: ZRunConfig.parse({ architecture: b.architecture, epochs: 5 }) as Prisma.InputJsonValue,
        architecture: b.architecture,
        dataset: 'fashion-mnist',
        attempt: 1,
        paramCount: b.paramCount,
        bestEpoch: 4,
        testAccuracy: b.testAccuracy,
        testLoss: 0.4,
        bestValAccuracy: b.testAccuracy + 0.01,
        gapAccuracy: b.gapAccuracy,
        gapLoss: b.gapAccuracy * 2,
        startedAt: new Date(Date.now() - 60_000),
        finishedAt: new Date(),
      },
      select: { id: true },
    });
    boardRuns.push({ id: run.id, name: b.name });
  }
  noModelRunId = (
    await db.run.create({
      data: { projectId: projects.default, name: 'cancelled-no-model', status: 'cancelled', config: ZRunConfig.parse({ architecture: 'mlp', epochs: 2 }) as Prisma.InputJsonValue, architecture: 'mlp', dataset: 'fashion-mnist' },
      select: { id: true },
    })
  ).id;
  const foreign = await seedTeam(db, foreignTeamSlug);
  const foreignProject = await db.project.findFirstOrThrow({ where: { teamId: foreign.teamId, slug: 'default' }, select: { id: true } });
  foreignRunId = (
    await db.run.create({
      data: { projectId: foreignProject.id, name: 'not-yours', status: 'succeeded', config: ZRunConfig.parse({ architecture: 'mlp', epochs: 2 }) as Prisma.InputJsonValue, architecture: 'mlp', dataset: 'fashion-mnist' },
      select: { id: true },
    })
  ).id;
}

failOnPageProblems();

beforeAll(async () => {
  stack = await startStack((t) => seed(t.db), { queuePrefix, apiEnv: { HZ_ARTIFACT_STORE_DIR: artifactStore } });
}, 600_000);

afterAll(async () => {
  await worker?.stop();
  await stack?.close();
  rmSync(artifactStore, { recursive: true, force: true });
});

async function loggedIn(email: string, password: string): Promise<Page> {
  const { page } = await openPage(stack.browser);
  await logIn(page, stack.webUrl, email, password);
  await page.waitForURL(/\/teams\/[^/]+\/runs/);
  return page;
}

describe('identity and team pages', () => {
  it('signs up from the login page and lands in the new team', async () => {
    const { page } = await openPage(stack.browser);
    await page.goto(`${stack.webUrl}/login`);
    await screenshot(page, 'login.png');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.waitForURL(/\/signup$/);
    const email = `new-${id8()}@example.test`;
    const slug = `new-${id8()}`;
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Name', { exact: true }).fill('Nia New');
    await page.getByLabel(/^Password/).fill('a long enough password');
    await page.getByLabel(/^Team slug/).fill(slug);
    await screenshot(page, 'signup.png');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(new RegExp(`/teams/${slug}/runs$`));
    await expect.poll(() => page.locator('.user').textContent()).toContain(email);
    // The new team (named after its owner) is the active one in the header.
    await page.locator(`.team-link.active[href="/teams/${slug}/runs"]`).waitFor();

    // The same email again: the API's message at the form.
    const again = (await openPage(stack.browser)).page;
    await again.goto(`${stack.webUrl}/signup`);
    expectConsoleError(/409|Conflict/i);
    await again.getByLabel('Email', { exact: true }).fill(email);
    await again.getByLabel('Name', { exact: true }).fill('Nia Again');
    await again.getByLabel(/^Password/).fill('a long enough password');
    await again.getByRole('button', { name: 'Sign up' }).click();
    await again.getByRole('form', { name: 'Sign up' }).getByRole('alert').waitFor();
    expect(await again.getByRole('form', { name: 'Sign up' }).getByRole('alert').textContent()).toMatch(/already|taken|exists/i);
  });

  it('switches team and project by URL, keeps the project across pages, creates and archives a project', async () => {
    const page = await loggedIn(owner.email, owner.password);
    await page.getByRole('navigation', { name: 'Teams' }).getByRole('link', { name: 'Second team' }).click();
    await page.waitForURL(new RegExp(`/teams/${otherTeamSlug}/runs$`));
    await page.getByRole('navigation', { name: 'Teams' }).getByRole('link', { name: teamSlug, exact: true }).click();
    await page.waitForURL(new RegExp(`/teams/${teamSlug}/runs$`));
    await page.getByText('lenet5-best').first().waitFor();

    await page.getByRole('combobox', { name: 'Project', exact: true }).selectOption('zoo');
    await page.waitForURL(/\?project=zoo$/);
    await page.getByText('alexnet-mid').first().waitFor();
    await expect.poll(() => page.getByText('lenet5-best').count()).toBe(0);
    await screenshot(page, 'runs-project.png');

    // The chosen project follows to the next page, and a deep link restores the choice.
    await page.getByRole('navigation', { name: 'Team pages' }).getByRole('link', { name: 'Projects' }).click();
    await page.waitForURL(new RegExp(`/teams/${teamSlug}/projects\\?project=zoo$`));
    expect(await page.getByRole('combobox', { name: 'Project', exact: true }).inputValue()).toBe('zoo');

    const form = page.getByRole('form', { name: 'Create a project' });
    await form.getByLabel('Slug').fill('Bad Slug');
    expectConsoleError(/400|Bad Request/i);
    await form.getByRole('button', { name: 'Create project' }).click();
    await form.getByRole('alert').waitFor();
    expect(await form.getByRole('alert').textContent()).toMatch(/projectSlug: lowercase letters, digits and dashes/);
    await form.getByLabel('Slug').fill('ablation');
    await form.getByLabel('Name (optional)').fill('Ablation study');
    await form.getByRole('button', { name: 'Create project' }).click();
    const row = page.locator('tr[data-project="ablation"]');
    await row.waitFor();
    await row.getByRole('button', { name: 'Archive ablation' }).click();
    await row.getByText('archived').waitFor();
    await expect.poll(() => page.getByRole('combobox', { name: 'Project', exact: true }).locator('option', { hasText: 'Ablation study (archived)' }).count()).toBe(1);
    await screenshot(page, 'projects.png');
  });

  it('invites a member with a one-time link, another user accepts it, an admin revokes another invitation', async () => {
    const page = await loggedIn(owner.email, owner.password);
    await page.goto(`${stack.webUrl}/teams/${teamSlug}/members`);
    await page.getByRole('table', { name: 'Members' }).waitFor();
    const form = page.getByRole('form', { name: 'Invite someone' });
    await form.getByLabel('Invitee (email or name)').fill('bea@example.test');
    await form.getByLabel('Role').selectOption('member');
    await form.getByRole('button', { name: 'Create invitation' }).click();
    const link = (await page.getByLabel('Invitation link').textContent()) ?? '';
    expect(link).toMatch(new RegExp(`^${stack.webUrl}/join\\?token=hzi_`));
    await page.locator('tr[data-invitation="bea@example.test"]').waitFor();
    await screenshot(page, 'members-invite.png');

    // Bea signs up on her own, then opens the link.
    const bea = (await openPage(stack.browser)).page;
    const beaEmail = `bea-${id8()}@example.test`;
    await bea.goto(`${stack.webUrl}/signup`);
    await bea.getByLabel('Email', { exact: true }).fill(beaEmail);
    await bea.getByLabel('Name', { exact: true }).fill('Bea Member');
    await bea.getByLabel(/^Password/).fill('another long password');
    await bea.getByRole('button', { name: 'Sign up' }).click();
    await bea.waitForURL(/\/teams\/[^/]+\/runs$/);
    await bea.goto(link);
    await screenshot(bea, 'join.png');
    await bea.getByRole('button', { name: 'Accept invitation' }).click();
    await bea.waitForURL(new RegExp(`/teams/${teamSlug}/runs$`));
    await expect.poll(() => bea.getByRole('navigation', { name: 'Teams' }).textContent()).toContain(teamSlug);

    // The link works once.
    expectConsoleError(/412|Precondition/i);
    await bea.goto(link);
    await bea.getByRole('button', { name: 'Accept invitation' }).click();
    await bea.getByRole('region', { name: 'Invitation' }).getByRole('alert').waitFor();
    expect(await bea.getByRole('region', { name: 'Invitation' }).getByRole('alert').textContent()).toMatch(/accepted already/);

    await page.reload();
    const beaRow = page.locator(`tr[data-member="${beaEmail}"]`);
    await beaRow.waitFor();
    expect(await beaRow.getByLabel(`Role of ${beaEmail}`).inputValue()).toBe('member');
    await expect.poll(() => page.locator('tr[data-invitation="bea@example.test"]').count()).toBe(0);

    // The last owner stays one: the API's rule, shown at the row.
    const ownerRow = page.locator(`tr[data-member="${owner.email}"]`);
    expectConsoleError(/4\d\d/);
    await ownerRow.getByLabel(`Role of ${owner.email}`).selectOption('admin');
    await ownerRow.getByRole('alert').waitFor();
    expect(await ownerRow.getByRole('alert').textContent()).toMatch(/owner/);
    await page.reload();
    expect(await page.locator(`tr[data-member="${owner.email}"]`).getByLabel(`Role of ${owner.email}`).inputValue()).toBe('owner');

    await form.getByLabel('Invitee (email or name)').fill('carl');
    await form.getByRole('button', { name: 'Create invitation' }).click();
    await page.locator('tr[data-invitation="carl"]').getByRole('button', { name: 'Revoke the invitation for carl' }).click();
    await expect.poll(() => page.locator('tr[data-invitation="carl"]').count()).toBe(0);
    await screenshot(page, 'members.png');
  });

  it('ranks a leaderboard per architecture and per run; a pinned run goes on top for the whole team', async () => {
    const page = await loggedIn(owner.email, owner.password);
    await page.goto(`${stack.webUrl}/teams/${teamSlug}/leaderboards`);
    const table = page.getByRole('table', { name: 'Leaderboard fashion-mnist' });
    await table.waitFor();
    const names = () => table.locator('tbody tr td:nth-child(2) a').allTextContents();
    expect(await names()).toEqual(['lenet5-best', 'alexnet-mid', 'mlp-last']);
    await page.getByLabel('One row per').selectOption('run');
    await page.waitForURL(/by=run/);
    await expect.poll(names).toEqual(['lenet5-best', 'lenet5-second', 'alexnet-mid', 'mlp-last']);
    expect(await table.locator('tbody tr').first().textContent()).toContain('91.00%');

    await table.getByRole('button', { name: 'Pin mlp-last' }).click();
    await expect.poll(names).toEqual(['mlp-last', 'lenet5-best', 'lenet5-second', 'alexnet-mid']);
    await table.locator('tbody tr').first().getByText('pinned').waitFor();
    await screenshot(page, 'leaderboard.png');

    // Another member of the team sees the pin (a deep link with the same view).
    const v = (await openPage(stack.browser)).page;
    await logIn(v, stack.webUrl, viewer.email, viewer.password);
    await v.waitForURL(/\/teams\/[^/]+\/runs/);
    await v.goto(`${stack.webUrl}/teams/${teamSlug}/leaderboards?dataset=fashion-mnist&by=run`);
    const vTable = v.getByRole('table', { name: 'Leaderboard fashion-mnist' });
    await vTable.waitFor();
    expect(await vTable.locator('tbody tr td:nth-child(2) a').first().textContent()).toBe('mlp-last');

    await table.getByRole('button', { name: 'Unpin mlp-last' }).click();
    await expect.poll(names).toEqual(['lenet5-best', 'lenet5-second', 'alexnet-mid', 'mlp-last']);

    await page.getByLabel('Data set').selectOption('mnist');
    await page.getByText('No finished runs on mnist yet.').waitFor();
  });

  it('shows a viewer no mutating controls, and another team’s run or team as not found', async () => {
    const page = await loggedIn(viewer.email, viewer.password);
    await page.goto(`${stack.webUrl}/teams/${teamSlug}/leaderboards`);
    await page.getByRole('table', { name: 'Leaderboard fashion-mnist' }).waitFor();
    expect(await page.getByRole('button', { name: /^(Pin|Unpin) / }).count()).toBe(0);
    await screenshot(page, 'viewer-leaderboard.png');

    await page.goto(`${stack.webUrl}/teams/${teamSlug}/members`);
    await page.getByRole('table', { name: 'Members' }).waitFor();
    expect(await page.getByRole('combobox', { name: /^Role of/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Invite someone' }).count()).toBe(0);
    await screenshot(page, 'viewer-members.png');

    await page.goto(`${stack.webUrl}/teams/${teamSlug}/projects`);
    await page.getByRole('table', { name: 'Projects' }).waitFor();
    expect(await page.getByRole('form', { name: 'Create a project' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^(Archive|Unarchive) / }).count()).toBe(0);

    const run = boardRuns[0];
    if (!run) throw new Error('no seeded run');
    await page.goto(`${stack.webUrl}/runs/${run.id}?team=${teamSlug}`);
    await page.getByRole('heading', { name: 'Artifacts' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Try it' }).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Try the model' }).count()).toBe(0);
    await screenshot(page, 'viewer-run.png');

    expectConsoleError(/404|Not Found/i);
    await page.goto(`${stack.webUrl}/runs/${foreignRunId}?team=${teamSlug}`);
    await page.getByText(`Run ${foreignRunId} was not found.`).waitFor();
    // The leaderboard and the project switch both ask (one batch, or two requests).
    expectConsoleError(/404|Not Found/i);
    expectConsoleError(/404|Not Found/i);
    await page.goto(`${stack.webUrl}/teams/${foreignTeamSlug}/leaderboards`);
    await page.getByText(`Team ${foreignTeamSlug} was not found.`).waitFor();
    await screenshot(page, 'foreign-team.png');
  });
});

describe('run page: artifacts and try it', () => {
  it('says a run without a model has none, and refuses a file that is not an image', async () => {
    const page = await loggedIn(owner.email, owner.password);
    await page.goto(`${stack.webUrl}/runs/${noModelRunId}?team=${teamSlug}`);
    await page.getByText('No artifacts stored for this run.').waitFor();
    const form = page.getByRole('form', { name: 'Try the model' });
    await page.getByText(/This run has not succeeded \(cancelled\)/).waitFor();

    await form.getByLabel(/^Image/).setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') });
    await form.getByRole('button', { name: 'Predict' }).click();
    await page.getByText('notes.txt is not an image this browser can read').waitFor();

    await form.getByLabel(/^Image/).setInputFiles({ name: 'trouser.png', mimeType: 'image/png', buffer: await trouserPng(page) });
    expectConsoleError(/412|Precondition/i);
    await form.getByRole('button', { name: 'Predict' }).click();
    await page.getByText(/has no trained model yet/).waitFor();
    await screenshot(page, 'run-no-model.png');
  });

  it('lists a trained run’s artifacts with size and SHA-256, downloads one, and shows the top-K predictions of an uploaded image', { timeout: 400_000 }, async () => {
    worker = startWorker({ apiUrl: stack.apiUrl, redisUrl: REDIS_URL, workerToken: owner.workerToken, queuePrefix });
    const client = createHyperzooClient({ url: stack.apiUrl, apiKey: owner.apiKey });
    const config = { architecture: 'mlp' as const, epochs: 1, batchSize: 16, data: { dataset: 'fashion-mnist' as const, subsetPerClass: 40, validationSize: 0.2, testPerClass: 5 } };
    const { id: runId } = await client.runs.create.mutate({ teamSlug, name: 'tiny-mlp-try-it', config });
    const deadline = Date.now() + 300_000;
    for (;;) {
      const r = await client.runs.get.query({ runId });
      if (r.status === 'succeeded') break;
      if (['failed', 'cancelled', 'diverged'].includes(r.status) || Date.now() > deadline) {
        throw new Error(`the tiny run ended ${r.status} (${r.error}); worker said:\n${worker.output().slice(-3000)}`);
      }
      await sleep(500);
    }

    const page = await loggedIn(owner.email, owner.password);
    await page.goto(`${stack.webUrl}/runs/${runId}?team=${teamSlug}`);
    const artifacts = page.getByRole('table', { name: 'Artifacts' });
    await artifacts.waitFor();
    const stored = await client.artifacts.list.query({ runId });
    expect(stored.length).toBeGreaterThan(0);
    // A best checkpoint and the checkpoint of the same epoch can hold the same bytes (the same SHA-256).
    for (const a of stored) await artifacts.getByText(a.sha256).first().waitFor();
    // One attempt, on the test's worker, that succeeded.
    const attempts = page.getByRole('table', { name: 'Attempts' });
    const attempt1 = attempts.locator('tbody tr[data-attempt="1"]');
    await attempt1.waitFor();
    expect(await attempt1.textContent()).toMatch(/web-e2e.*wasm.*succeeded/);

    // The link goes through the web's proxy to the API's route, with the session cookie.
    const one = stored[0];
    if (!one) throw new Error('no artifact');
    const href = await artifacts.getByRole('link', { name: new RegExp(`^Download ${one.kind}`) }).first().getAttribute('href');
    const res = await page.request.get(`${stack.webUrl}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()[ARTIFACT_SHA256_HEADER]).toBe(one.sha256);
    expect((await res.body()).length).toBe(one.bytes);
    // Without a session the same link is refused.
    const anonymous = await fetch(`${stack.webUrl}${href}`);
    expect(anonymous.status).toBe(401);

    const form = page.getByRole('form', { name: 'Try the model' });
    await form.getByLabel(/^Image/).setInputFiles({ name: 'trouser.png', mimeType: 'image/png', buffer: await trouserPng(page) });
    await form.getByLabel('Top').selectOption('3');
    await form.getByRole('button', { name: 'Predict' }).click();
    const bars = page.getByRole('list', { name: 'Predictions' });
    await bars.waitFor({ timeout: 60_000 });
    const items = await bars.locator('li').allTextContents();
    expect(items).toHaveLength(3);
    for (const item of items) expect(FASHION_MNIST.some((c) => item.startsWith(c)), item).toBe(true);
    const probs = items.map((t) => Number(/([\d.]+)%$/.exec(t)?.[1]));
    expect(probs).toEqual([...probs].sort((a, b) => b - a));
    await screenshot(page, 'run-try-it.png');
  });
});

/** A 28 x 28 "trouser" (two bright bars on black, like Fashion-MNIST's) as PNG bytes, drawn by the browser's own canvas. */
async function trouserPng(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 28;
    canvas.height = 28;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, 28, 28);
    ctx.fillStyle = '#dcdcdc';
    ctx.fillRect(9, 4, 4, 21);
    ctx.fillRect(16, 4, 4, 21);
    return canvas.toDataURL('image/png');
  });
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
}
