/**
 * SSE fan-out: N browsers-worth of `live.run` subscriptions over HTTP on one run, the worker's
 * events published on Redis, latency from publish to receipt by each subscriber:
 *   npm run bench:live -- [--subscribers 100] [--events 50] [--interval-ms 50] [--json]
 * The API runs as its own process (one Redis subscriber for all of them); subscribers and the
 * publisher share this process's clock.
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

import { createHyperzooClient } from '@hyperzoo/client';
import { subscribeSse } from '@hyperzoo/client/sse';
import { createRedis, runEventsChannel } from '@hyperzoo/queue';
import type { TRunEvent } from '@hyperzoo/schemas';

import { percentile, REDIS_URL, round, startBenchStack } from './stack';

const { values: args } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '100' },
    events: { type: 'string', default: '50' },
    'interval-ms': { type: 'string', default: '50' },
    json: { type: 'boolean', default: false },
  },
});
const subscribers = Number(args.subscribers);
const events = Number(args.events);

const stack = await startBenchStack();
const publisher = createRedis(REDIS_URL, 'producer');
try {
  const client = createHyperzooClient({ url: stack.url, apiKey: stack.seed.apiKey });
  const { id: runId } = await client.runs.create.mutate({ teamSlug: stack.seed.teamSlug, config: { architecture: 'mlp', epochs: events } });
  const headers = { authorization: `Bearer ${stack.seed.apiKey}` };
  const connectStarted = performance.now();
  const subs = await Promise.all(Array.from({ length: subscribers }, () => subscribeSse(stack.url, 'live.run', { runId }, { headers })));
  const refused = subs.filter((s) => s.status !== 200);
  if (refused.length) throw new Error(`${refused.length} of ${subscribers} subscriptions answered HTTP ${[...new Set(refused.map((s) => s.status))].join(', ')}`);
  // The status each gets on subscribe; anything else (an error event) is reported, not mistaken for it.
  for (const first of await Promise.all(subs.map((s) => s.next(30_000)))) {
    if ((first.data as { type?: string } | null)?.type !== 'status') throw new Error(`a subscription got ${JSON.stringify(first)} instead of the run's status`);
  }
  const connectMs = performance.now() - connectStarted;

  const publishedAt = new Map<number, number>();
  const latencies: number[] = [];
  const receiving = subs.map(async (s) => {
    for (let i = 0; i < events; i++) {
      const m = await s.next(30_000);
      const epoch = (m.data as Extract<TRunEvent, { type: 'epoch' }>).metric.epoch;
      latencies.push(performance.now() - (publishedAt.get(epoch) ?? NaN));
    }
  });
  for (let epoch = 1; epoch <= events; epoch++) {
    const metric = { epoch, phase: 'train' as const, loss: 1, accuracy: 0.5, val_loss: 1, val_accuracy: 0.5, lr: 0.001, duration_ms: 1, images_per_sec: 1 };
    publishedAt.set(epoch, performance.now());
    await publisher.publish(runEventsChannel(runId, stack.prefix), JSON.stringify({ type: 'epoch', runId, attempt: 0, metric } satisfies TRunEvent));
    await sleep(Number(args['interval-ms']));
  }
  await Promise.all(receiving);
  for (const s of subs) s.close();
  const row = {
    bench: 'live-fanout',
    subscribers,
    events,
    intervalMs: Number(args['interval-ms']),
    deliveries: latencies.length,
    connectAllMs: round(connectMs, 1),
    p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(Math.max(...latencies)),
  };
  console.log(args.json ? JSON.stringify(row) : `${subscribers} subscribers x ${events} events: p50 ${row.p50Ms} ms, p95 ${row.p95Ms} ms (publish to receipt)`);
} finally {
  publisher.disconnect();
  await stack.close();
}
