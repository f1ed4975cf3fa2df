import { ZMlpRunConfig, ZRunConfig, type TArchitecture, type TDataConfig, type TRunConfig } from '@hyperzoo/schemas';

import { toPathIssues, type TPathIssue } from './issues';
import { setPath, type TJson } from './space';

/** The run config of one run: the sweep's data, the parameter values at their paths, the repeat's seed. */
export function configInput(architecture: TArchitecture, dataset: TDataConfig, pathValues: Record<string, TJson>, seed?: number): Record<string, unknown> {
  const input: Record<string, unknown> = { architecture, data: structuredClone(dataset) };
  for (const [path, value] of Object.entries(pathValues)) setPath(input, path, structuredClone(value));
  if (seed !== undefined) input.seed = seed;
  return input;
}

export function parseConfig(input: Record<string, unknown>): { config: TRunConfig; issues: [] } | { config: null; issues: TPathIssue[] } {
  const r = ZRunConfig.safeParse(input);
  return r.success ? { config: r.data, issues: [] } : { config: null, issues: toPathIssues(r.error.issues) };
}

/** Every architecture shares the common fields' defaults. */
export const DEFAULT_EPOCHS = ZMlpRunConfig.parse({ architecture: 'mlp' }).epochs;
