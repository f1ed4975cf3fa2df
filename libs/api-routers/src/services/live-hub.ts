import type { Db } from '@hyperzoo/db';
import { runEventsChannel, runEventsPattern } from '@hyperzoo/queue';
import type { createRedis } from '@hyperzoo/queue';
import { ZRunEvent } from '@hyperzoo/schemas';
import type { TRunChange, TRunEvent, TRunStatus } from '@hyperzoo/schemas';

type TListener<T> = (event: T) => void;

/**
 * One Redis subscriber per API process, fanned out in memory to every live subscription, so 100
 * browsers on a run cost one Redis connection, not 100.
 */
export interface LiveHub {
  /** Listens to one run's events; returns the function that stops listening. */
  onRun(runId: string, listener: TListener<TRunEvent>): () => void;
  /** Status changes and epochs of a team's runs. */
  onTeam(teamId: string, listener: TListener<TRunChange>): () => void;
  /** Status changes and epochs of a sweep's runs (keyed on Run.sweepId). */
  onSweep(sweepId: string, listener: TListener<TRunChange>): () => void;
  /**
   * Status changes the API makes itself (create, cancel, a sweep's runs, the reconciler), sent on
   * the runs' channels like a worker's, so every API process's subscribers hear them. Never throws:
   * the change is in the database already, and a missed event is caught up on reconnect.
   */
  publishStatus(changes: readonly TStatusChange[]): void;
  /** Listeners attached now, over all keys (a client that left must leave none behind). */
  listenerCount(): number;
  /** Waits for the events being dispatched; the owner then disconnects the subscriber. */
  close(): Promise<void>;
}

interface TStatusChange {
  runId: string;
  attempt: number;
  status: TRunStatus;
}

/** What a service that changes runs' status needs of the hub. */
export type TStatusPublisher = Pick<LiveHub, 'publishStatus'>;

/** Runs' owners rarely change and are looked up once per run, not once per event. */
const OWNER_CACHE_SIZE = 10_000;

class Listeners<T> {
  private readonly byKey = new Map<string, Set<TListener<T>>>();
  add(key: string, listener: TListener<T>): () => void {
    let set = this.byKey.get(key);
    if (!set) this.byKey.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.byKey.get(key) === set) this.byKey.delete(key);
    };
  }
  has(key: string | null): key is string {
    return key !== null && this.byKey.has(key);
  }
  get isEmpty(): boolean {
    return this.byKey.size === 0;
  }
  emit(key: string, event: T): void {
    for (const listener of [...(this.byKey.get(key) ?? [])]) listener(event);
  }
  count(): number {
    let n = 0;
    for (const set of this.byKey.values()) n += set.size;
    return n;
  }
}

function toChange(event: TRunEvent): TRunChange {
  return event.type === 'epoch'
    ? { type: 'progress', runId: event.runId, epoch: event.metric.epoch }
    : { type: 'status', runId: event.runId, attempt: event.attempt, status: event.status };
}

/**
 * `publisher` is a Redis connection not in subscriber mode; without one (a single process with no
 * Redis to share) the API's own status changes reach only this process's listeners.
 */
export function createLiveHub(opts: {
  subscriber: ReturnType<typeof createRedis>;
  publisher?: ReturnType<typeof createRedis>;
  db: Db;
  prefix?: string;
  onError?: (err: Error) => void;
}): LiveHub {
  const runs = new Listeners<TRunEvent>();
  const teams = new Listeners<TRunChange>();
  const sweeps = new Listeners<TRunChange>();
  const owners = new Map<string, { teamId: string; sweepId: string | null } | null>();
  const onError = opts.onError ?? (() => undefined);

  const ownerOf = async (runId: string) => {
    if (owners.has(runId)) return owners.get(runId) ?? null;
    const row = await opts.db.run.findUnique({ where: { id: runId }, select: { sweepId: true, project: { select: { teamId: true } } } });
    const owner = row ? { teamId: row.project.teamId, sweepId: row.sweepId } : null;
    if (owners.size >= OWNER_CACHE_SIZE) owners.delete(owners.keys().next().value as string);
    owners.set(runId, owner);
    return owner;
  };

  // Team and sweep listeners need the run's owner (a DB lookup the first time): one chain keeps events in order.
  let chain = Promise.resolve();
  const dispatch = (event: TRunEvent) => {
    runs.emit(event.runId, event);
    if (teams.isEmpty && sweeps.isEmpty) return;
    chain = chain
      .then(async () => {
        const owner = await ownerOf(event.runId);
        if (!owner) return;
        const change = toChange(event);
        if (teams.has(owner.teamId)) teams.emit(owner.teamId, change);
        if (sweeps.has(owner.sweepId)) sweeps.emit(owner.sweepId, change);
      })
      .catch(onError);
  };

  opts.subscriber.on('pmessage', (_pattern: string, _channel: string, message: string) => {
    let raw: unknown;
    try {
      raw = JSON.parse(message);
    } catch {
      return;
    }
    // Only what the schema allows reaches a browser; the run id must be a uuid (an owner lookup follows).
    const parsed = ZRunEvent.safeParse(raw);
    if (parsed.success && /^[0-9a-f-]{36}$/i.test(parsed.data.runId)) dispatch(parsed.data);
  });
  // Not awaited: the API starts while Redis is down; ioredis subscribes once connected, and again after every reconnect.
  opts.subscriber.psubscribe(runEventsPattern(opts.prefix)).catch(onError);

  return {
    onRun: (runId, listener) => runs.add(runId, listener),
    onTeam: (teamId, listener) => teams.add(teamId, listener),
    onSweep: (sweepId, listener) => sweeps.add(sweepId, listener),
    publishStatus(changes) {
      for (const c of changes) {
        const event: TRunEvent = { type: 'status', runId: c.runId, attempt: c.attempt, status: c.status };
        if (opts.publisher) opts.publisher.publish(runEventsChannel(c.runId, opts.prefix), JSON.stringify(event)).catch(onError);
        else dispatch(event);
      }
    },
    listenerCount: () => runs.count() + teams.count() + sweeps.count(),
    async close() {
      await chain;
    },
  };
}
