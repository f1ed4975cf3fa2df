import type { TSweepSpec } from '@hyperzoo/schemas';

import { gridLimitIssues, type TExpandOptions } from './expand';
import { toSweepIssues, type TSweepIssue } from './issues';
import type { TSearchSpace } from './space';
import { checkSweepSpec } from './validate';
import { locateIssues, parseYaml } from './yaml';

export type TSweepCheck = { ok: true; spec: TSweepSpec; space: TSearchSpace } | { ok: false; issues: TSweepIssue[] };

/** A spec object (an API input) checked as a whole: shape, every parameter, and the grid's size. */
export function validateSweep(input: unknown, options: TExpandOptions = {}): TSweepCheck {
  const checked = checkSweepSpec(input);
  if (!checked.ok) return { ok: false, issues: toSweepIssues(checked.issues) };
  const limits = gridLimitIssues(checked.spec, checked.space, options);
  return limits.length > 0 ? { ok: false, issues: toSweepIssues(limits) } : checked;
}

/** A YAML spec file checked as a whole; every issue carries its path and, where it can, line and column. */
export function validateSweepYaml(text: string, options: TExpandOptions = {}): TSweepCheck {
  const parsed = parseYaml(text);
  if (!parsed.ok) return parsed;
  const checked = checkSweepSpec(parsed.value);
  if (!checked.ok) return { ok: false, issues: locateIssues(checked.issues, parsed.locate) };
  const limits = gridLimitIssues(checked.spec, checked.space, options);
  return limits.length > 0 ? { ok: false, issues: locateIssues(limits, parsed.locate) } : checked;
}
