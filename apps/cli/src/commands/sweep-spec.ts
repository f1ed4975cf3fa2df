import { readFileSync } from 'node:fs';

import { previewSweepYaml, type TSweepIssue, type TSweepPreview } from '@hyperzoo/sweeps';

/** Bad input to a sweep command (a missing file, malformed YAML, an invalid spec): exit code 2. */
export class SweepUsageError extends Error {
  override name = 'SweepUsageError';
}

/** `file:line:column: path: message`, one issue per line (line and column when the YAML has them). */
function formatSweepIssues(file: string, issues: readonly TSweepIssue[]): string {
  return issues
    .map((i) => `${file}${i.line === undefined ? '' : `:${i.line}:${i.column ?? 1}`}: ${i.path || '(spec)'}: ${i.message}`)
    .join('\n');
}

function readSpecFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new SweepUsageError(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'a directory' : e.message}`);
  }
}

/** The file's spec checked and expanded, no server needed; refused specs throw with every issue. */
export function previewSpecFile(file: string): { yaml: string; preview: TSweepPreview } {
  const yaml = readSpecFile(file);
  const result = previewSweepYaml(yaml);
  if (!result.ok) throw new SweepUsageError(formatSweepIssues(file, result.issues));
  return { yaml, preview: result.preview };
}

const cell = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** `hz sweep preview`'s human form: the parameter table, the run count and the Hyperband rungs. */
export function formatPreview(p: TSweepPreview): string {
  const header = ['parameter', 'architectures', 'distribution', 'values', 'count'];
  const rows = p.parameters.map((q) => [
    q.path,
    q.architectures.join(','),
    q.distribution,
    q.values ? q.values.map(cell).join(' | ') : `${q.min ?? '-inf'} .. ${q.max ?? 'inf'}`,
    q.count === null ? 'continuous' : String(q.count),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const per = p.perArchitecture ? ` (${Object.entries(p.perArchitecture).map(([a, n]) => `${a} ${n}`).join(', ')})` : '';
  const runs = p.method === 'grid' ? `${p.runs} runs` : `up to ${p.runs} runs`;
  return [
    `${p.name}: ${p.method}, ${p.metric.name} (${p.metric.goal})`,
    ...(rows.length ? [line(header), ...rows.map(line)] : ['no parameters']),
    `${runs}${per}: ${p.configurations} configurations x ${p.repeats} repeats (seeds ${p.seeds.join(', ')}), at most ${p.maxConcurrent} at once on ${p.resourceClass}`,
    p.rungs ? `hyperband rungs (epochs): ${p.rungs.map((r) => r.join(', ')).join(' / ')}` : 'no early termination',
  ].join('\n');
}
