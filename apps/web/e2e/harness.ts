// What the browser tests add to e2e/stack.ts: every page must stay free of console errors,
// hydration warnings and uncaught errors.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';

import { openContextPage } from './stack';

/** What a page said that a test did not expect: console errors, hydration warnings, uncaught errors. */
let problems: string[] = [];
/** Console errors a test expects (a 401 answer to a wrong password), each allowed once. */
const expectedErrors: RegExp[] = [];

/** Allows one console error matching `re` in the current test. */
export function expectConsoleError(re: RegExp): void {
  expectedErrors.push(re);
}

function watchPage(page: Page): void {
  page.on('console', (msg) => {
    const text = msg.text();
    const isProblem = msg.type() === 'error' || (msg.type() === 'warning' && /hydrat/i.test(text));
    if (!isProblem) return;
    const i = expectedErrors.findIndex((re) => re.test(text));
    if (i >= 0) expectedErrors.splice(i, 1);
    else problems.push(`console.${msg.type()} on ${page.url()}: ${text}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught on ${page.url()}: ${err.message}`));
}

/** Every test ends by failing on what its pages said that it did not expect (register once per file). */
export function failOnPageProblems(): void {
  afterEach(() => {
    const found = problems;
    problems = [];
    expectedErrors.length = 0;
    expect(found, found.join('\n')).toEqual([]);
  });
}

/** A fresh context and page (e2e/stack.ts), watched for console errors and hydration warnings. */
export function openPage(browser: Browser, options: BrowserContextOptions = {}) {
  return openContextPage(browser, options, watchPage);
}
