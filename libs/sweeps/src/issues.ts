import type { z } from 'zod';

export type TPath = readonly (string | number)[];

/** A refusal of a spec: the offending value's path, and where it is in the YAML when there is one. */
export interface TSweepIssue {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** Path segments of an issue (a parameter key keeps its dots, so the YAML node can be found). */
export interface TPathIssue {
  path: TPath;
  message: string;
}

type TZodIssue = z.core.$ZodIssue;

/**
 * Zod issues as path + message. Unions report the branch that matched the input's type
 * (a list of architectures vs blocks), and an unknown key is reported at its own path.
 */
export function toPathIssues(issues: readonly TZodIssue[], prefix: TPath = []): TPathIssue[] {
  return issues.flatMap((issue): TPathIssue[] => {
    const base = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...base, key], message: `unknown option "${key}" here` }));
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const matched = issue.errors.filter((branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0));
      if (matched.length === 1 && matched[0]) return toPathIssues(matched[0], base);
    }
    if (issue.code === 'invalid_key' && issue.issues.length > 0) {
      return issue.issues.map((i) => ({ path: base, message: i.message }));
    }
    return [{ path: base, message: issue.message }];
  });
}

export const joinPath = (path: TPath): string => path.join('.');

export const toSweepIssues = (issues: readonly TPathIssue[]): TSweepIssue[] =>
  issues.map((i) => ({ path: joinPath(i.path), message: i.message }));

/** Thrown by the expanders when a spec cannot become runs. */
export class SweepSpecError extends Error {
  override name = 'SweepSpecError';
  constructor(readonly issues: TSweepIssue[]) {
    super(issues.map((i) => `${i.path || '(spec)'}: ${i.message}`).join('; '));
  }
}
