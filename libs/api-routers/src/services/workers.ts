import type { Prisma } from '@hyperzoo/db';
import type { Db } from '@hyperzoo/db';
import type { TRegisterWorkerInput } from '@hyperzoo/schemas';

/** A worker is offline once it has missed this many heartbeats. */
const HEARTBEAT_INTERVAL_MS = 10_000;
export const OFFLINE_AFTER_MS = 3 * HEARTBEAT_INTERVAL_MS;


/** Registers (or re-registers after a restart) the worker named `name` in the token's team; the team names its queues. */
export async function registerWorker(db: Db, teamId: string, w: TRegisterWorkerInput): Promise<{ workerId: string; teamId: string }> {
  const data = { ...w, devices: w.devices as Prisma.InputJsonValue, lastSeenAt: new Date(), startedAt: new Date(), stoppedAt: null, currentRuns: [] };
  const row = await db.worker.upsert({
    where: { teamId_name: { teamId, name: w.name } },
    create: { teamId, ...data },
    update: data,
    select: { id: true },
  });
  return { workerId: row.id, teamId };
}

export async function heartbeat(db: Db, teamId: string, input: { workerId: string; currentRuns: string[]; stopping?: boolean }) {
  const res = await db.worker.updateMany({
    where: { id: input.workerId, teamId },
    data: { lastSeenAt: new Date(), currentRuns: input.currentRuns, ...(input.stopping ? { stoppedAt: new Date() } : {}) },
  });
  return { known: res.count === 1 };
}

export async function listWorkers(db: Db, teamId: string) {
  const rows = await db.worker.findMany({
    where: { teamId },
    orderBy: [{ lastSeenAt: 'desc' }],
    select: {
      id: true, name: true, hostname: true, backend: true, devices: true, resourceClass: true, capacity: true, version: true,
      startedAt: true, lastSeenAt: true, stoppedAt: true, currentRuns: true,
    },
  });
  const now = Date.now();
  return rows.map((w) => ({
    ...w,
    status: w.stoppedAt && w.stoppedAt >= w.startedAt ? ('stopped' as const) : now - w.lastSeenAt.getTime() > OFFLINE_AFTER_MS ? ('offline' as const) : ('online' as const),
  }));
}
