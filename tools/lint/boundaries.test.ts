// The module-boundary rules of eslint.config.js, run for real through ESLint's Node API on
// imports written as if they sat in a project's source: each forbidden edge must be an error,
// each allowed one must lint clean. The table is in docs/ARCHITECTURE.md, "Enforced boundaries".
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createProjectGraphAsync } from '@nx/devkit';
import { ESLint } from 'eslint';
import type { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BOUNDARIES = '@nx/enforce-module-boundaries';
const TYPES_ONLY = '@typescript-eslint/no-restricted-imports';

let eslint: ESLint;

beforeAll(async () => {
  // The boundary rule reads nx's cached project graph and skips itself (a warning, no error)
  // when there is none, as in a fresh clone: build the graph first.
  await createProjectGraphAsync({ exitOnError: false });
  // The probe files exist only in memory, and the TypeScript project service reads files from
  // disk: lint them with the workspace config minus the type-aware rules (the boundary rules
  // need no types).
  eslint = new ESLint({ cwd: ROOT, overrideConfig: tseslint.configs.disableTypeChecked });
});

async function lint(file: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  if (!result) throw new Error(`ESLint returned no result for ${file}`);
  return result.messages;
}

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  return (await lint(file, code)).filter((m) => m.ruleId === BOUNDARIES).map((m) => m.message);
}

describe('enforce-module-boundaries', () => {
  it('keeps the database out of the web app', async () => {
    const errors = await boundaryErrors('apps/web/src/x.ts', "import { createDb } from '@hyperzoo/db';\nexport const db = createDb('postgresql://x');\n");
    expect(errors).toEqual([expect.stringContaining('A project tagged with "scope:web" can only depend on libs tagged with')]);
  });

  it('keeps tfjs and the queue out of the web app', async () => {
    expect(await boundaryErrors('apps/web/src/x.ts', "import * as tf from '@tensorflow/tfjs';\nexport const t = tf.scalar(1);\n")).toEqual([
      'A project tagged with "scope:web" is not allowed to import "@tensorflow/tfjs"',
    ]);
    expect(await boundaryErrors('apps/web/src/x.ts', "import { Queue } from 'bullmq';\nexport const Q = Queue;\n")).toEqual([
      'A project tagged with "scope:web" is not allowed to import "bullmq"',
    ]);
  });

  it('lets the web app take only the types of the router', async () => {
    expect(await lint('apps/web/src/x.ts', "import type { AppRouter } from '@hyperzoo/api-routers';\nexport type R = AppRouter;\n")).toEqual([]);
    const messages = await lint('apps/web/src/x.ts', "import { appRouter } from '@hyperzoo/api-routers';\nexport const r = appRouter;\n");
    expect(messages.map((m) => m.ruleId)).toEqual([TYPES_ONLY]);
  });

  it('keeps the router and the database out of the worker', async () => {
    expect(await boundaryErrors('apps/worker/src/x.ts', "import '@hyperzoo/api-routers';\n")).toEqual([
      expect.stringContaining('A project tagged with "scope:worker" can only depend on libs tagged with'),
    ]);
    expect(await boundaryErrors('apps/worker/src/x.ts', "import { createDb } from '@hyperzoo/db';\nexport const db = createDb('postgresql://x');\n")).toHaveLength(1);
  });

  it('lets the worker use the client, the queue and the models', async () => {
    const code = [
      "import { createHyperzooClient } from '@hyperzoo/client';",
      "import { runTraining } from '@hyperzoo/models';",
      "import { JOB_NAMES } from '@hyperzoo/queue';",
      'export const used = [createHyperzooClient, runTraining, JOB_NAMES];',
      '',
    ].join('\n');
    expect(await lint('apps/worker/src/x.ts', code)).toEqual([]);
  });

  it('forbids a lib to import an app, by package path or by relative path', async () => {
    // Apps export no entry, so an app is only reachable through a path into its sources. Today
    // the web app reaches libs/queue (its e2e test starts the API), so the cycle check answers first.
    expect(await boundaryErrors('libs/queue/src/x.ts', "import '@hyperzoo/web-app/src/lib/format';\n")).toEqual([
      expect.stringMatching(/^(Imports of apps are forbidden|Circular dependency between "@hyperzoo\/queue" and "@hyperzoo\/web-app")/),
    ]);
    expect(await boundaryErrors('libs/queue/src/x.ts', "import '../../../apps/web/src/lib/format';\n")).toEqual([
      'Projects cannot be imported by a relative or absolute path, and must begin with a npm scope',
    ]);
  });

  it('keeps models and data away from the server, the queue and the database', async () => {
    for (const lib of ['@hyperzoo/api-routers', '@hyperzoo/queue', '@hyperzoo/db']) {
      expect(await boundaryErrors('libs/data/src/x.ts', `import '${lib}';\n`)).toEqual([
        expect.stringContaining('A project tagged with "scope:ml" can only depend on libs tagged with'),
      ]);
    }
  });

  it('keeps tfjs out of the client', async () => {
    expect(await boundaryErrors('libs/client/src/x.ts', "import '@tensorflow/tfjs';\n")).toEqual(['A project tagged with "scope:client" is not allowed to import "@tensorflow/tfjs"']);
    expect(await boundaryErrors('libs/client/src/x.ts', "import '@hyperzoo/models';\n")).toHaveLength(1);
  });

  it('reports an import cycle', async () => {
    // libs/queue imports libs/schemas, so schemas importing queue closes a cycle.
    expect(await boundaryErrors('libs/schemas/src/x.ts', "import '@hyperzoo/queue';\n")).toEqual([
      expect.stringContaining('Circular dependency between "@hyperzoo/schemas" and "@hyperzoo/queue" detected'),
    ]);
  });
});
