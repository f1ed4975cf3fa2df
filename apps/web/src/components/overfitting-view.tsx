'use client';

import { useQueries, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';

import { GROUP_BY, ZGroupBy } from '@hyperzoo/analysis';
import type { TGroupBy } from '@hyperzoo/analysis';

import { CounterfactualCharts, GapBandChart, ParamsScatter } from '@/components/overfitting-charts';
import { GroupTable } from '@/components/overfitting-table';
import { useProjectParam } from '@/components/project-switcher';
import { describeError, getErrorCode } from '@/lib/errors';
import { summarizeCounterfactual, summarizeGapCurves } from '@/lib/group-curves';
import type { TGroupedRun } from '@/lib/group-curves';
import { useTRPC } from '@/trpc/react';

/** Gap curves and counterfactual tables come from analysis.run per run: the newest this many. */
const CURVE_RUNS = 100;

/**
 * A project's or a sweep's overfitting at a glance (analysis.project or analysis.sweep, libs/analysis):
 * the nav's project switcher (?project=, none: all projects) and ?by=, or ?sweep=, keep the view a
 * deep link. A sweep is grouped by architecture.
 */
export function OverfittingView({ teamSlug }: { teamSlug: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const projectSlug = useProjectParam();
  const groupBy: TGroupBy = ZGroupBy.safeParse(params.get('by')).data ?? 'architecture';
  const sweepId = params.get('sweep');
  const byProject = useQuery({ ...trpc.analysis.project.queryOptions({ teamSlug, groupBy, ...(projectSlug ? { projectSlug } : {}) }), enabled: !sweepId });
  const bySweep = useQuery({ ...trpc.analysis.sweep.queryOptions({ sweepId: sweepId ?? '' }), enabled: !!sweepId });
  const project = sweepId ? bySweep : byProject;
  const runs = project.data?.runs ?? [];
  const curveRuns = runs.slice(0, CURVE_RUNS);
  const details = useQueries({ queries: curveRuns.map((r) => trpc.analysis.run.queryOptions({ runId: r.run.id, options: {} })) });
  const loaded: TGroupedRun[] = details.flatMap((d, i) => {
    const key = curveRuns[i]?.key;
    return d.data && key !== undefined ? [{ key, gaps: d.data.analysis.gaps, counterfactual: d.data.analysis.counterfactual }] : [];
  });
  // One colour per group on every chart: the groups table's order (by model size).
  const keys = project.data?.groups.map((g) => g.key) ?? [];
  const curvesReady = details.every((d) => !d.isPending);
  const curvesFailed = details.find((d) => d.isError)?.error;

  function setParam(name: string, value: string) {
    const next = new URLSearchParams(params);
    next.set(name, value);
    router.replace(`${pathname}?${next.toString()}`);
  }

  return (
    <section>
      <div className="page-title">
        <h1>Overfitting</h1>
        <span className="muted">
          succeeded runs
          {!sweepId && (projectSlug ? ` of ${projectSlug}` : ' of all projects')}
          {bySweep.data && (
            <>
              {' '}of sweep <Link href={`/teams/${encodeURIComponent(teamSlug)}/sweeps/${encodeURIComponent(bySweep.data.sweep.id)}`}>{bySweep.data.sweep.name}</Link>
            </>
          )}
        </span>
        {!sweepId && (
          <label className="inline-field push-right">
            <span>Group by</span>
            <select value={groupBy} onChange={(e) => setParam('by', e.target.value)}>
              {GROUP_BY.map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {project.isError && (
        <p className="error-box">
          {getErrorCode(project.error) === 'NOT_FOUND'
            ? sweepId
              ? 'Sweep not found.'
              : `Project ${projectSlug} was not found.`
            : `Could not load the analysis: ${describeError(project.error)}`}
        </p>
      )}
      {project.isPending && <p className="muted">Loading the analysis…</p>}
      {project.isSuccess && runs.length === 0 && <p className="empty">No succeeded runs in this {sweepId ? 'sweep' : projectSlug ? 'project' : 'team'} yet: the analysis needs finished runs.</p>}
      {project.data && runs.length > 0 && (
        <>
          <h2>Per {sweepId ? 'architecture' : groupBy}</h2>
          <GroupTable groups={project.data.groups} />
          <h2>Generalization gap</h2>
          {runs.length > CURVE_RUNS && <p className="muted">Curves over the newest {CURVE_RUNS} of {runs.length} runs; the table above counts them all.</p>}
          {curvesFailed && <p className="error-box">Could not load every run&apos;s curve: {describeError(curvesFailed)}</p>}
          <div className="charts">
            <GapBandChart keys={keys} groups={curvesReady ? summarizeGapCurves(loaded) : null} />
            <ParamsScatter keys={keys} runs={runs} />
          </div>
          <h2>Early stopping after the fact</h2>
          <p className="muted">
            For each patience, what early stopping on {details[0]?.data?.analysis.monitor ?? 'val_loss'} would have kept and saved on the recorded curves, without
            retraining (mean over each group&apos;s runs).
          </p>
          <CounterfactualCharts keys={keys} groups={curvesReady ? summarizeCounterfactual(loaded) : null} />
        </>
      )}
    </section>
  );
}
