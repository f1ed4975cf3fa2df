import { queryOnPool } from '@hyperzoo/db';
import type { Db, DbClient } from '@hyperzoo/db';
import { ZSweepSpec } from '@hyperzoo/schemas';
import type { TSweepSpec } from '@hyperzoo/schemas';
import { bracketOf, checkPruning, hyperbandOf, hyperbandRungs } from '@hyperzoo/sweeps';
import type { THyperband } from '@hyperzoo/sweeps';

import { lockSweep } from './scheduler';
import { metricCurve } from './values';

export interface TPruneAnswer {
  pruneRequested: boolean;
  rung: number | null;
  cutoff: number | null;
}

const GO_ON: TPruneAnswer = { pruneRequested: false, rung: null, cutoff: null };

interface TRunRungs {
  sweepId: string | null;
  configuration: number | null;
  config: unknown;
  sweep: { spec: unknown; status: string } | null;
}

/** The epochs at which a sweep run is judged (its Hyperband bracket's rungs); none outside sweeps with early termination. */
function rungsOf(run: TRunRungs): { spec: TSweepSpec; h: THyperband; rungs: number[]; configuration: number } | null {
  if (!run.sweep || run.configuration === null) return null;
  const spec = ZSweepSpec.parse(run.sweep.spec);
  const e = spec.earlyTermination;
  if (!e) return null;
  const epochs = (run.config as { epochs?: number }).epochs ?? 0;
  const h = hyperbandOf(e, epochs);
  return { spec, h, rungs: hyperbandRungs(h)[bracketOf(run.configuration, h.brackets)] ?? [], configuration: run.configuration };
}

const rungSelect = { sweepId: true, configuration: true, config: true, sweep: { select: { spec: true, status: true } } } as const;

type TRunRungState = TRunRungs & { prunedRung: number | null; prunedCutoff: number | null; rungValues: number[] };

// One statement where Prisma makes two (the run, then its sweep): read on every epoch report of a sweep run.
const RUNG_STATE_SQL = `SELECT r."sweepId"::text AS "sweepId", r."configuration", r."config", r."prunedRung", r."prunedCutoff", r."rungValues",
    s."spec" AS "sweepSpec", s."status"::text AS "sweepStatus"
  FROM "Run" r LEFT JOIN "Sweep" s ON s."id" = r."sweepId" WHERE r."id" = $1::uuid`;

/**
 * Sweeps seen to have no early termination. A sweep's spec never changes once created, so their
 * runs' epoch reports need no read to be answered "go on". Bounded: the oldest leave first.
 */
const withoutRungs = new Set<string>();
const WITHOUT_RUNGS_MAX = 10_000;

function noteRungs(run: TRunRungs): void {
  if (!run.sweepId || !run.sweep) return;
  // A spec this version cannot read is not remembered: its runs take the full path, as before.
  const spec = ZSweepSpec.safeParse(run.sweep.spec);
  if (!spec.success || spec.data.earlyTermination) return;
  withoutRungs.add(run.sweepId);
  if (withoutRungs.size > WITHOUT_RUNGS_MAX) withoutRungs.delete(withoutRungs.values().next().value as string);
}

async function readRungState(db: Db, runId: string): Promise<TRunRungState> {
  type TRow = Omit<TRunRungState, 'sweep'> & { sweepSpec: unknown; sweepStatus: string | null };
  const rows = await queryOnPool<TRow>(db, RUNG_STATE_SQL, [runId]);
  if (rows === null) return db.run.findUniqueOrThrow({ where: { id: runId }, select: { ...rungSelect, prunedRung: true, prunedCutoff: true, rungValues: true } });
  const row = rows[0];
  if (!row) throw new Error(`run ${runId} not found`);
  const { sweepSpec, sweepStatus, ...run } = row;
  return { ...run, sweep: sweepStatus === null ? null : { spec: sweepSpec, status: sweepStatus } };
}

/**
 * For startRun: the rung epochs the trainer must wait at, and whether the sweep lets the run start
 * at all. `sweepId` as the caller just read it: a run outside sweeps needs no further read.
 */
export async function sweepStartInfo(db: Db, runId: string, known?: { sweepId: string | null }): Promise<{ rungEpochs: number[]; blockedBy: string | null }> {
  if (known?.sweepId === null) return { rungEpochs: [], blockedBy: null };
  const run = await readRungState(db, runId);
  if (!run.sweep) return { rungEpochs: [], blockedBy: null };
  noteRungs(run);
  if (run.sweep.status === 'paused') return { rungEpochs: [], blockedBy: 'its sweep is paused' };
  return { rungEpochs: rungsOf(run)?.rungs ?? [], blockedBy: null };
}

/**
 * After an epoch report: for each rung epoch in it, the run's rung value (its best metric up to
 * there) against the values its bracket's runs recorded at that rung (docs/SWEEPS.md, "Early
 * termination"). Decided once per rung under the sweep's lock and stored, so a replayed report
 * gets the same answer and two runs reaching a rung at once each see the other.
 */
export async function judgeRungs(db: DbClient, runId: string, epochs: readonly number[], known?: { sweepId: string | null }): Promise<TPruneAnswer> {
  // Only sweep runs have rungs, and only those of sweeps with early termination.
  if (known?.sweepId === null || (known?.sweepId && withoutRungs.has(known.sweepId))) return GO_ON;
  const run = await readRungState(db, runId);
  noteRungs(run);
  if (run.prunedRung !== null) return { pruneRequested: true, rung: run.prunedRung, cutoff: run.prunedCutoff };
  const judged = rungsOf(run);
  if (!judged || !run.sweepId) return GO_ON;
  const due = judged.rungs.map((epoch, rung) => ({ epoch, rung })).filter((r) => epochs.includes(r.epoch) && r.rung >= run.rungValues.length);
  if (due.length === 0) return GO_ON;
  const sweepId = run.sweepId;
  const { spec, h, configuration } = judged;
  return db.$transaction(async (tx) => {
    await lockSweep(tx, sweepId);
    const fresh = await tx.run.findUniqueOrThrow({ where: { id: runId }, select: { rungValues: true, prunedRung: true, prunedCutoff: true } });
    if (fresh.prunedRung !== null) return { pruneRequested: true, rung: fresh.prunedRung, cutoff: fresh.prunedCutoff };
    const values = [...fresh.rungValues];
    const peers = await tx.run.findMany({ where: { sweepId, id: { not: runId }, configuration: { not: null } }, select: { configuration: true, rungValues: true } });
    const bracket = bracketOf(configuration, h.brackets);
    let answer = GO_ON;
    for (const { epoch, rung } of due) {
      if (rung < values.length) continue;
      const curve = await metricCurve(tx, runId, spec.metric.name, epoch);
      const atRung = peers.filter((p) => bracketOf(p.configuration ?? 0, h.brackets) === bracket && p.rungValues.length > rung).map((p) => p.rungValues[rung] as number);
      const check = checkPruning({ hyperband: h, goal: spec.metric.goal, configuration, epoch, values: curve, peers: atRung });
      if (check.action === 'continue' && !('rung' in check)) continue;
      while (values.length < rung) values.push(Number.NaN);
      values.push(check.value);
      if (check.action === 'prune') {
        answer = { pruneRequested: true, rung, cutoff: check.cutoff };
        break;
      }
    }
    await tx.run.update({
      where: { id: runId },
      data: { rungValues: values, ...(answer.pruneRequested ? { prunedRung: answer.rung, prunedCutoff: answer.cutoff } : {}) },
    });
    return answer;
  });
}
