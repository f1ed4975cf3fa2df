'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';

import { ZDevice } from '@hyperzoo/schemas';

import { PlatformPool } from '@/components/platform-pool';
import { describeError } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useTRPC } from '@/trpc/react';

const WORKERS_REFRESH_MS = 10_000;

/** The devices a worker reported, in one line ("cpu: 2 cores"); anything unreadable as "—". */
function describeDevices(devices: unknown): string {
  const parsed = ZDevice.array().safeParse(devices);
  if (!parsed.success || parsed.data.length === 0) return '—';
  return parsed.data.map((d) => [d.name, d.cores ? `${d.cores} cores` : null, d.memoryMb ? `${Math.round(d.memoryMb / 1024)} GiB` : null].filter(Boolean).join(', ')).join('; ');
}

/** The team's workers: online/offline from their heartbeats, what they run on and what they are training now. */
export function WorkersView({ teamSlug }: { teamSlug: string }) {
  const trpc = useTRPC();
  const workers = useQuery(trpc.worker.list.queryOptions({ teamSlug }, { refetchInterval: WORKERS_REFRESH_MS }));
  const team = useQuery(trpc.teams.get.queryOptions({ teamSlug }));
  const online = workers.data?.filter((w) => w.status === 'online').length ?? 0;
  return (
    <section>
      <div className="page-title">
        <h1>Workers</h1>
        {workers.data && <span className="muted">{`${online} of ${workers.data.length} online`}</span>}
      </div>
      <PlatformPool teamSlug={teamSlug} />
      {workers.isError && <p className="error-box">Could not load the workers: {describeError(workers.error)}</p>}
      {workers.isPending && <p className="muted">Loading workers…</p>}
      {workers.data?.length === 0 && (
        <p className="empty">
          {team.data?.usesPlatformPool ? 'This team has no workers of its own; the platform pool’s take its runs. ' : 'No worker has registered for this team yet. '}
          Start one with a worker key: <code>hz worker</code> (see docs/WORKER.md).
        </p>
      )}
      {workers.data && workers.data.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Workers">
            <thead>
              <tr>
                <th>Name</th>
                <th>Status</th>
                <th>Backend</th>
                <th>Devices</th>
                <th>Queue</th>
                <th className="num">Slots</th>
                <th>Current runs</th>
                <th>Last seen</th>
              </tr>
            </thead>
            <tbody>
              {workers.data.map((w) => (
                <tr key={w.id} data-worker-id={w.id}>
                  <td>
                    <strong>{w.name}</strong>
                    <div className="sub">
                      {w.hostname} · {w.version}
                    </div>
                  </td>
                  <td>
                    <span className={`badge badge-worker-${w.status}`} data-status={w.status}>
                      {w.status}
                    </span>
                  </td>
                  <td>{w.backend}</td>
                  <td>{describeDevices(w.devices)}</td>
                  <td>{w.resourceClass}</td>
                  <td className="num">
                    {w.status === 'online' ? w.currentRuns.length : 0} / {w.capacity}
                  </td>
                  <td>
                    {w.status === 'online' && w.currentRuns.length > 0
                      ? w.currentRuns.map((id) => (
                          <Link key={id} href={`/runs/${id}?team=${encodeURIComponent(teamSlug)}`} className="run-id">
                            {id.slice(0, 8)}
                          </Link>
                        ))
                      : '—'}
                  </td>
                  <td className="nowrap">{formatDateTime(w.lastSeenAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
