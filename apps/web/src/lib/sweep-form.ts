import { parse, stringify } from 'yaml';

import type { TIssue } from '@hyperzoo/schemas';

/**
 * The "New sweep" form edits the spec object itself (the same object YAML parses to), so form
 * and YAML round-trip without a second model. These helpers read and write its parts.
 */
export type TSpecDraft = Record<string, unknown>;

/** How the form shows one hyperparameter; `other` (normal, q_uniform, weights...) is edited as YAML. */
export type TParameterKind = 'fixed' | 'list' | 'range' | 'other';

const RANGE_DISTRIBUTIONS = new Set(['uniform', 'log_uniform', 'int_uniform']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function getParameterKind(p: unknown): TParameterKind {
  if (!isRecord(p)) return 'other';
  const keys = Object.keys(p).filter((k) => k !== 'distribution');
  if (keys.length === 1 && 'value' in p && (p.distribution ?? 'constant') === 'constant') return 'fixed';
  if (keys.length === 1 && 'values' in p && (p.distribution ?? 'categorical') === 'categorical') return 'list';
  if (typeof p.distribution === 'string' && RANGE_DISTRIBUTIONS.has(p.distribution) && keys.every((k) => k === 'min' || k === 'max')) return 'range';
  return 'other';
}

/** A value typed in a field, read as YAML: `0.1` is a number, `relu` a string, `{ name: adam }` an object. */
export function parseValueText(text: string): unknown {
  return parse(text) as unknown;
}

/** Comma-separated values, read as a YAML flow list: `relu, sigmoid` or `{ name: adam }, { name: sgd }`. */
export function parseListText(text: string): unknown[] {
  const list = parse(`[${text}]`) as unknown;
  if (!Array.isArray(list)) throw new Error('not a list');
  return list;
}

/** One value as it is typed back into a field (flow YAML, one line). */
export function formatValueText(v: unknown): string {
  return stringify(v, { collectionStyle: 'flow' }).trim();
}

export const formatListText = (values: readonly unknown[]): string => values.map(formatValueText).join(', ');

/** The spec as the YAML a user pastes or downloads. */
export const specToYaml = (spec: TSpecDraft): string => stringify(spec);

/** YAML text to a spec object; a syntax error names its line (the API reports schema issues). */
export function yamlToSpec(text: string): { ok: true; spec: TSpecDraft } | { ok: false; message: string } {
  try {
    const value = parse(text) as unknown;
    if (!isRecord(value)) return { ok: false, message: 'the YAML must be a mapping (name:, architectures:, ...)' };
    return { ok: true, spec: value };
  } catch (err) {
    return { ok: false, message: (err as Error).message.split('\n')[0] ?? 'not YAML' };
  }
}

/** `spec` with `path` (dotted, within the spec's own keys) set to `value`, or removed when undefined. */
export function setIn(spec: TSpecDraft, path: readonly string[], value: unknown): TSpecDraft {
  const [head, ...rest] = path;
  if (head === undefined) return spec;
  const next: TSpecDraft = { ...spec };
  if (rest.length === 0) {
    if (value === undefined) delete next[head];
    else next[head] = value;
    return next;
  }
  const child = isRecord(spec[head]) ? spec[head] : {};
  const updated = setIn(child, rest, value);
  if (Object.keys(updated).length === 0) delete next[head];
  else next[head] = updated;
  return next;
}

/** A new search method; TPE's own options go with TPE (the API refuses them for grid and random). */
export function setMethod(spec: TSpecDraft, method: string): TSpecDraft {
  const next = setIn(spec, ['method'], method);
  return method === 'tpe' ? next : setIn(next, ['tpe'], undefined);
}

export const getIn = (spec: TSpecDraft, path: readonly string[]): unknown =>
  path.reduce<unknown>((v, key) => (isRecord(v) ? v[key] : undefined), spec);

/** The spec's architectures as names, whether written as a list or as per-architecture blocks. */
export function getArchitectureNames(spec: TSpecDraft): string[] {
  const a = spec.architectures;
  if (Array.isArray(a)) return a.filter((x): x is string => typeof x === 'string');
  return isRecord(a) ? Object.keys(a) : [];
}

/** Ticks an architecture on or off, keeping per-architecture blocks (and their parameters) where there are some. */
export function setArchitecture(spec: TSpecDraft, name: string, on: boolean, order: readonly string[]): TSpecDraft {
  const a = spec.architectures;
  if (isRecord(a)) {
    const next = { ...a };
    if (on) next[name] ??= {};
    else delete next[name];
    return { ...spec, architectures: next };
  }
  const names = new Set(getArchitectureNames(spec));
  if (on) names.add(name);
  else names.delete(name);
  return { ...spec, architectures: order.filter((n) => names.has(n)) };
}

/** An issue of sweeps.preview: its path in the spec, and its line when the spec was YAML. */
type TSpecIssue = TIssue & { line?: number };

/**
 * Where the form shows an API issue: the longest field key that is a prefix of its path
 * (`parameters.optimizer.learningRate.max` belongs to the row `parameters.optimizer.learningRate`),
 * or '' (shown above the form, or under the YAML) when no field claims it; there the message
 * names its line and path.
 */
export function assignIssues(issues: readonly TSpecIssue[], fieldKeys: readonly string[]): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  for (const issue of issues) {
    let owner = '';
    for (const key of fieldKeys) {
      const isPrefix = issue.path === key || issue.path.startsWith(`${key}.`);
      if (isPrefix && key.length > owner.length) owner = key;
    }
    const where = owner === '' ? [issue.line === undefined ? '' : `line ${issue.line}`, issue.path].filter(Boolean).join(', ') : '';
    const message = where ? `${where}: ${issue.message}` : issue.message;
    byField.set(owner, [...(byField.get(owner) ?? []), message]);
  }
  return byField;
}
