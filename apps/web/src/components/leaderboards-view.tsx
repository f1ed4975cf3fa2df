'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';

import { DATASETS } from '@hyperzoo/schemas';
import type { TLeaderboardRow } from '@hyperzoo/schemas';

import { TeamQueryError } from '@/components/team-not-found';
import { describeError } from '@/lib/errors';
import { formatMetric, formatPercent } from '@/lib/format';
import { useTeamRole } from '@/lib/team-role';
import { useTRPC } from '@/trpc/react';

type TDataset = (typeof DATASETS)[number];
type TBy = 'architecture' | 'run';

/** `?dataset=` and `?by=` from the address, falling back to the defaults on anything unknown. */
function readParams(search: URLSearchParams): { dataset: TDataset; by: TBy } {
  const dataset = DATASETS.find((d) => d === search.get('dataset')) ?? 'fashion-mnist';
  return { dataset, by: search.get('by') === 'run' ? 'run' : 'architecture' };
}

/** Best runs of the team per dataset by test accuracy (leaderboards.get); members pin a run to keep it on top. */
export function LeaderboardsView({ teamSlug }: { teamSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const { dataset, by } = readParams(searchParams);
  const { isMember } = useTeamRole(teamSlug);
  const input = { teamSlug, dataset, by };
  const board = useQuery(trpc.leaderboards.get.queryOptions(input));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.leaderboards.get.queryKey() });
  const pin = useMutation(trpc.leaderboards.pin.mutationOptions({ onSettled: refresh }));
  const unpin = useMutation(trpc.leaderboards.unpin.mutationOptions({ onSettled: refresh }));
  const toggleError = pin.error ?? unpin.error;

  function setParam(key: string, value: string) {
    const next = new URLSearchParams(searchParams);
    next.set(key, value);
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  }

  return (
    <section>
      <h1>Leaderboards</h1>
      <p className="muted">
        The team&apos;s best runs by test accuracy (validation accuracy at the best epoch, marked “val”, where a run has no test result). Pinned runs stay on top
        and everyone in the team sees them.
      </p>
      <div className="table-toolbar">
        <label className="inline-field">
          <span>Data set</span>
          <select value={dataset} onChange={(e) => setParam('dataset', e.target.value)}>
            {DATASETS.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>One row per</span>
          <select value={by} onChange={(e) => setParam('by', e.target.value)}>
            <option value="architecture">architecture</option>
            <option value="run">run</option>
          </select>
        </label>
      </div>
      {board.isError && <TeamQueryError teamSlug={teamSlug} what="the leaderboard" error={board.error} />}
      {board.isPending && <p className="muted">Loading the leaderboard…</p>}
      {toggleError && <p className="error-box">Could not change the pin: {describeError(toggleError)}</p>}
      {board.data?.rows.length === 0 && <p className="empty">No finished runs on {dataset} yet.</p>}
      {board.data && board.data.rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label={`Leaderboard ${dataset}`}>
            <thead>
              <tr>
                <th>#</th>
                <th>Run</th>
                <th>Architecture</th>
                <th>Test accuracy</th>
                <th title="train minus validation accuracy at the best epoch">Gap (acc)</th>
                <th title="validation minus train loss at the best epoch">Gap (loss)</th>
                <th>Parameters</th>
                <th>Best epoch</th>
                {by === 'architecture' && <th>Runs</th>}
                {isMember && <th />}
              </tr>
            </thead>
            <tbody>
              {board.data.rows.map((row) => (
                <LeaderboardRow
                  key={row.runId}
                  row={row}
                  teamSlug={teamSlug}
                  by={by}
                  isMember={isMember}
                  busy={pin.isPending || unpin.isPending}
                  onToggle={() => (row.pinned ? unpin : pin).mutate({ runId: row.runId })}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function LeaderboardRow(props: { row: TLeaderboardRow; teamSlug: string; by: TBy; isMember: boolean; busy: boolean; onToggle: () => void }) {
  const { row, teamSlug, by, isMember, busy, onToggle } = props;
  return (
    <tr data-run-id={row.runId}>
      <td>{row.rank}</td>
      <td>
        <Link href={`/runs/${row.runId}?team=${encodeURIComponent(teamSlug)}`}>{row.name}</Link>
        {row.pinned && (
          <span className="tag" title="pinned">
            pinned
          </span>
        )}
      </td>
      <td>{row.architecture}</td>
      <td className="nowrap">
        {formatPercent(row.score)}
        {row.scoreFrom === 'validation' && <span className="muted"> val</span>}
      </td>
      <td>{formatPercent(row.gapAccuracy)}</td>
      <td>{formatMetric(row.gapLoss)}</td>
      <td>{row.paramCount?.toLocaleString('en-US') ?? '—'}</td>
      <td>{row.bestEpoch ?? '—'}</td>
      {by === 'architecture' && <td>{row.runs}</td>}
      {isMember && (
        <td>
          <button type="button" className="button button-compact" disabled={busy} aria-label={`${row.pinned ? 'Unpin' : 'Pin'} ${row.name}`} onClick={onToggle}>
            {row.pinned ? 'Unpin' : 'Pin'}
          </button>
        </td>
      )}
    </tr>
  );
}
