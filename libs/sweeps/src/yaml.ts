import { isNode, LineCounter, parseDocument, type Document } from 'yaml';

import { joinPath, type TPath, type TPathIssue, type TSweepIssue } from './issues';

export type TYamlResult = { ok: true; value: unknown; locate: (path: TPath) => { line: number; column: number } | null } | { ok: false; issues: TSweepIssue[] };

/** Spec files are small; anything bigger is a mistake (or an alias bomb). */
const MAX_YAML_CHARS = 200_000;

/**
 * Parses a YAML spec; syntax errors come back with line and column. `locate` finds the line of
 * a path in the document, so schema issues can point into the file too.
 */
export function parseYaml(text: string): TYamlResult {
  if (text.length > MAX_YAML_CHARS) return { ok: false, issues: [{ path: '', message: `the spec is longer than ${MAX_YAML_CHARS} characters` }] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    return {
      ok: false,
      issues: problems.map((e) => {
        const pos = e.linePos?.[0];
        const message = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
        return { path: '', message, ...(pos ? { line: pos.line, column: pos.col } : {}) };
      }),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, issues: [{ path: '', message: error instanceof Error ? error.message : String(error) }] };
  }
  return { ok: true, value, locate: (path) => locate(doc, lineCounter, path) };
}

function locate(doc: Document, lineCounter: LineCounter, path: TPath): { line: number; column: number } | null {
  // The deepest node that exists on the path (a missing key points at its parent).
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const { line, col } = lineCounter.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return null;
}

/** Path issues with the YAML position of each path. */
export const locateIssues = (issues: readonly TPathIssue[], locateFn: (path: TPath) => { line: number; column: number } | null): TSweepIssue[] =>
  issues.map((i) => ({ path: joinPath(i.path), message: i.message, ...(locateFn(i.path) ?? {}) }));
