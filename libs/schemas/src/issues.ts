import type { z } from 'zod';

export interface TIssue {
  /** Dotted path of the offending value ('' for the whole input). */
  path: string;
  message: string;
}

/**
 * Zod issues as path + message, one per offending value. An unknown key is reported at its own
 * path (config.depth: "not an option of lenet5"), not at its parent object, so a client can
 * point at the field.
 */
export function toIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): TIssue[] {
  return error.issues.flatMap((issue) => {
    const base = [...prefix, ...issue.path].map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...base, key].join('.'), message: `unknown option "${key}" here` }));
    }
    return [{ path: base.join('.'), message: issue.message }];
  });
}

/** One line: "a.b: message; c: message". */
export const formatIssues = (issues: readonly TIssue[]): string => issues.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; ');
