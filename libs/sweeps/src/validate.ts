import { ZSweepSpec, type TArchitecture, type TSweepSpec } from '@hyperzoo/schemas';

import { configInput, DEFAULT_EPOCHS, parseConfig } from './configs';
import { toPathIssues, type TPath, type TPathIssue } from './issues';
import { buildSpace, paramsOf, type TDimension, type TJson, type TSearchSpace, type TSpaceParam } from './space';

export type TCheckedSpec = { ok: true; spec: TSweepSpec; space: TSearchSpace } | { ok: false; issues: TPathIssue[] };

const startsWith = (path: TPath, prefix: TPath) => prefix.length <= path.length && prefix.every((p, i) => path[i] === p);
const orList = (items: readonly string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`);

/** Values worth trying for a dimension: its ends, and for a continuous one a point inside that is not a whole number. */
function probes(dim: TDimension): { value: TJson; at: TPath }[] {
  switch (dim.type) {
    case 'constant':
      return [{ value: dim.value, at: ['value'] }];
    case 'categorical':
      return dim.choices.map((value, i) => ({ value, at: ['values', i] }));
    case 'int':
      return [{ value: dim.low, at: ['min'] }, { value: dim.high, at: ['max'] }];
    case 'float': {
      const ends = [{ value: dim.low, at: ['min'] }, { value: dim.high, at: ['max'] }];
      if (dim.step !== null) return [...ends, { value: dim.low + dim.step, at: ['q'] }];
      const inside = dim.log ? Math.exp(Math.log(dim.low) + 0.382 * (Math.log(dim.high) - Math.log(dim.low))) : dim.low + 0.382 * (dim.high - dim.low);
      return [...ends, { value: inside, at: ['distribution'] }];
    }
    case 'normal':
      return [
        { value: dim.low ?? dim.mu - 3 * dim.sigma, at: [dim.low === null ? 'sigma' : 'min'] },
        { value: dim.mu + 0.382 * dim.sigma, at: ['distribution'] },
        { value: dim.high ?? dim.mu + 3 * dim.sigma, at: [dim.high === null ? 'sigma' : 'max'] },
      ];
  }
}

/** Issues of a run config that concern `path`: at it, under it, or at an object it goes through. */
function issuesAt(path: TPath, arch: TArchitecture, spec: TSweepSpec, value: TJson): TPathIssue[] {
  const { issues } = parseConfig(configInput(arch, spec.dataset, { [path.join('.')]: value }));
  return issues.filter((i) => startsWith(i.path, path) || startsWith(path, i.path));
}

const isUnknownOption = (issue: TPathIssue) => issue.message.startsWith('unknown option');

function checkParam(param: TSpaceParam, spec: TSweepSpec): TPathIssue[] {
  const path = param.path.split('.');
  const first = probes(param.dim)[0];
  if (first === undefined) return [];
  const notTaken = param.architectures.filter((arch) => issuesAt(path, arch, spec, first.value).some(isUnknownOption));
  if (notTaken.length > 0) {
    const all = Object.keys(spec.architectures) as TArchitecture[];
    const takers = all.filter((arch) => !notTaken.includes(arch) && !issuesAt(path, arch, spec, first.value).some(isUnknownOption));
    const message =
      takers.length === 0
        ? `${param.path} is not an option of ${orList(notTaken)}`
        : `${param.path} is an option of ${orList(takers)} but not of ${orList(notTaken)}: set it under ${takers.map((a) => `architectures.${a}.parameters`).join(' and ')}`;
    return [{ path: param.source, message }];
  }
  // One issue per offending value and message, naming the architectures that refuse it.
  const found = new Map<string, { path: TPath; archs: TArchitecture[]; message: string }>();
  for (const probe of probes(param.dim)) {
    for (const arch of param.architectures) {
      for (const issue of issuesAt(path, arch, spec, probe.value)) {
        const where = [...param.source, ...probe.at];
        const message = `${JSON.stringify(probe.value)} is refused at ${issue.path.join('.')}: ${issue.message}`;
        const key = `${where.join('.')}\n${message}`;
        const entry = found.get(key) ?? { path: where, archs: [], message };
        entry.archs.push(arch);
        found.set(key, entry);
      }
    }
  }
  return [...found.values()].map((f) => ({
    path: f.path,
    message: Object.keys(spec.architectures).length > 1 ? `${f.archs.join(', ')}: ${f.message}` : f.message,
  }));
}

/** One path inside another (optimizer and optimizer.learningRate) would overwrite it. */
function checkOverlaps(space: TSearchSpace): TPathIssue[] {
  const out: TPathIssue[] = [];
  for (const arch of space.architectures) {
    const params = paramsOf(space, arch);
    for (const a of params) {
      const inner = params.find((b) => b.path.startsWith(`${a.path}.`));
      if (inner) out.push({ path: a.source, message: `overlaps ${inner.source.join('.')}: set one or the other` });
    }
  }
  return out.filter((issue, i) => out.findIndex((o) => o.path.join('.') === issue.path.join('.')) === i);
}

/** The first value of every parameter, as one whole run config per architecture (catches fields nobody set, e.g. transfer). */
function checkWholeConfigs(space: TSearchSpace, spec: TSweepSpec): TPathIssue[] {
  return space.architectures.flatMap((arch) => {
    const values: Record<string, TJson> = {};
    for (const p of paramsOf(space, arch)) {
      const first = probes(p.dim)[0];
      if (first) values[p.path] = first.value;
    }
    const { issues } = parseConfig(configInput(arch, spec.dataset, values));
    return issues.map((i) => ({ path: ['architectures', arch], message: `run config ${i.path.join('.') || '(root)'}: ${i.message}` }));
  });
}

/**
 * The spec's shape (ZSweepSpec), then every parameter against each architecture's run-config
 * schema: an impossible sweep is refused here with the offending path, never as failed runs.
 */
export function checkSweepSpec(input: unknown): TCheckedSpec {
  const parsed = ZSweepSpec.safeParse(input);
  if (!parsed.success) return { ok: false, issues: toPathIssues(parsed.error.issues) };
  const spec = parsed.data;
  const space = buildSpace(spec);
  const issues = [...checkOverlaps(space), ...space.params.flatMap((p) => checkParam(p, spec))];
  if (issues.length === 0) issues.push(...checkWholeConfigs(space, spec));
  if (spec.earlyTermination && spec.earlyTermination.maxEpochs === undefined) issues.push(...checkRungsFit(space, spec));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, spec, space };
}

/** Without maxEpochs the rungs follow the runs' epochs, so a run must train past the first rung. */
function checkRungsFit(space: TSearchSpace, spec: TSweepSpec): TPathIssue[] {
  const minEpochs = spec.earlyTermination?.minEpochs ?? 1;
  for (const arch of space.architectures) {
    const epochs = paramsOf(space, arch).find((p) => p.path === 'epochs');
    const low = epochs === undefined ? DEFAULT_EPOCHS : lowestNumber(epochs.dim);
    if (low !== null && low <= minEpochs) {
      return [{ path: ['earlyTermination', 'minEpochs'], message: `runs of ${arch} may train only ${low} epochs: the first rung (${minEpochs}) must come before the last epoch` }];
    }
  }
  return [];
}

function lowestNumber(dim: TDimension): number | null {
  if (dim.type === 'constant') return typeof dim.value === 'number' ? dim.value : null;
  if (dim.type === 'categorical') {
    const nums = dim.choices.filter((c): c is number => typeof c === 'number');
    return nums.length > 0 ? Math.min(...nums) : null;
  }
  if (dim.type === 'normal') return dim.low;
  return dim.low;
}
