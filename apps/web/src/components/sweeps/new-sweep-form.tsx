'use client';

import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';

import { getErrorIssues } from '@hyperzoo/client/errors';
import { ARCHITECTURES, DATASETS, MONITORS, RESOURCE_CLASSES, SWEEP_METHODS, TPE_DEFAULTS } from '@hyperzoo/schemas';

import { Field, FieldIssues, issuesId, readNumber } from '@/components/sweeps/form-fields';
import { ParameterRows } from '@/components/sweeps/parameter-rows';
import { SweepPreview } from '@/components/sweeps/sweep-preview';
import type { TPreviewIssue, TPreviewShown } from '@/components/sweeps/sweep-preview';
import { describeError } from '@/lib/errors';
import { SWEEP_EXAMPLES } from '@/lib/sweep-examples';
import { assignIssues, getArchitectureNames, getIn, setArchitecture, setIn, setMethod, specToYaml, yamlToSpec } from '@/lib/sweep-form';
import type { TSpecDraft } from '@/lib/sweep-form';
import { useTRPC } from '@/trpc/react';

/** Wait this long after the last keystroke before asking the API to check the spec. */
const CHECK_DELAY_MS = 300;

const NO_ISSUES: readonly TPreviewIssue[] = [];

/** Fields the form has, by their path in the spec: an API issue at or under one is shown there. */
const FIELD_KEYS = [
  'name', 'project', 'architectures', 'dataset.dataset', 'dataset.subsetPerClass', 'dataset.validationSize', 'method', 'metric.name',
  'metric.goal', 'repeats', 'maxRuns', 'maxConcurrent', 'resourceClass', 'earlyTermination', 'earlyTermination.minEpochs', 'earlyTermination.eta',
];
/** TPE's own options, with what each does. */
const TPE_FIELDS: { key: keyof typeof TPE_DEFAULTS; label: string; hint: string }[] = [
  { key: 'startupTrials', label: 'Startup trials', hint: 'random configurations before TPE proposes' },
  { key: 'eiCandidates', label: 'EI candidates', hint: 'samples scored per proposal' },
];
/** Shown only for TPE: elsewhere their issues (e.g. "tpe options need method: tpe" from YAML) go above the form. */
const TPE_FIELD_KEYS = ['tpe', ...TPE_FIELDS.map((f) => `tpe.${f.key}`)];

function firstSpec(project: string | null): TSpecDraft {
  return {
    name: 'my-sweep',
    project: project ?? 'default',
    architectures: ['lenet5'],
    dataset: { dataset: 'fashion-mnist', subsetPerClass: 100, validationSize: 0.2 },
    method: 'grid',
    metric: { name: 'val_accuracy', goal: 'maximize' },
    parameters: { 'optimizer.learningRate': { values: [0.001, 0.01] }, epochs: { value: 10 } },
    repeats: 1,
    maxConcurrent: 2,
    resourceClass: 'cpu',
  };
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** 128 random bits as hex; getRandomValues, unlike randomUUID, also works on a plain-http origin. */
const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * "New sweep": the spec as a form or as YAML (the same object either way), checked by
 * sweeps.preview as you type, launched by sweeps.create with an idempotency key (a double
 * click or a retry makes one sweep).
 */
export function NewSweepForm({ teamSlug, project }: { teamSlug: string; project: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [spec, setSpec] = useState<TSpecDraft>(() => firstSpec(project));
  const [mode, setMode] = useState<'form' | 'yaml'>('form');
  const [yamlText, setYamlText] = useState('');
  const [yamlError, setYamlError] = useState<string | null>(null);
  // Bumped when the spec is replaced as a whole (YAML, an example): the form's fields start again from it.
  const [version, setVersion] = useState(0);
  const [idempotencyKey, setIdempotencyKey] = useState(newKey);
  const projects = useQuery(trpc.projects.list.queryOptions({ teamSlug }));

  const source = mode === 'yaml' ? { yaml: yamlText } : { spec };
  // Debounced as text: a fresh object every render would restart the timer for ever.
  const sourceKey = JSON.stringify(source);
  const checkedKey = useDebounced(sourceKey, CHECK_DELAY_MS);
  const checked = useMemo(() => JSON.parse(checkedKey) as { yaml?: string; spec?: TSpecDraft }, [checkedKey]);
  const preview = useQuery(trpc.sweeps.preview.queryOptions({ teamSlug, ...checked }, { placeholderData: keepPreviousData, retry: false, staleTime: 60_000 }));
  const create = useMutation(
    trpc.sweeps.create.mutationOptions({
      onSuccess: (made) => router.push(`/teams/${encodeURIComponent(teamSlug)}/sweeps/${made.sweepId}`),
    }),
  );

  // The spec's issues come as data (no HTTP error, nothing in the console); meanwhile the last preview stays in view, greyed.
  const answer = preview.data;
  const [shown, setShown] = useState<TPreviewShown | undefined>(undefined);
  if (answer?.ok && answer !== shown) setShown(answer);
  const specIssues = answer && !answer.ok && !preview.isFetching ? answer.issues : NO_ISSUES;
  const isTpe = spec.method === 'tpe';
  const fieldKeys = useMemo(
    () => [...FIELD_KEYS, ...(isTpe ? TPE_FIELD_KEYS : []), ...Object.keys(asRecord(spec.parameters)).map((p) => `parameters.${p}`)],
    [spec.parameters, isTpe],
  );
  const issues = useMemo(() => assignIssues(specIssues, mode === 'form' ? fieldKeys : []), [specIssues, fieldKeys, mode]);
  const createIssues = create.isError ? getErrorIssues(create.error) : [];

  function update(next: TSpecDraft) {
    setSpec(next);
    // A different spec is a different sweep: a new key, so it is not mistaken for the last attempt.
    setIdempotencyKey(newKey());
  }
  const set = (path: string, value: unknown) => update(setIn(spec, path.split('.'), value));

  function replaceSpec(next: TSpecDraft, text: string) {
    update(next);
    setYamlText(text);
    setYamlError(null);
    setVersion((v) => v + 1);
  }

  function showYaml() {
    setYamlText(specToYaml(spec));
    setYamlError(null);
    setMode('yaml');
  }
  function showForm() {
    const read = yamlToSpec(yamlText);
    if (!read.ok) {
      setYamlError(read.message);
      return;
    }
    replaceSpec(read.spec, yamlText);
    setMode('form');
  }
  function editYaml(text: string) {
    setYamlText(text);
    setIdempotencyKey(newKey());
    const read = yamlToSpec(text);
    setYamlError(read.ok ? null : read.message);
    if (read.ok) setSpec(read.spec);
  }
  function loadExample(file: string) {
    const example = SWEEP_EXAMPLES.find((e) => e.file === file);
    if (!example) return;
    const read = yamlToSpec(example.yaml);
    if (read.ok) replaceSpec(project ? { ...read.spec, project } : read.spec, example.yaml);
  }

  const isFresh = !preview.isFetching && checkedKey === sourceKey;
  const canLaunch = answer?.ok === true && !preview.isPlaceholderData && isFresh && !create.isPending && !create.isSuccess;
  const architectures = getArchitectureNames(spec);
  const hasEarly = spec.earlyTermination !== undefined;
  const text = (path: string) => {
    const v = getIn(spec, path.split('.'));
    return v === undefined || v === null ? '' : String(v as string | number);
  };

  return (
    <form
      className="sweep-form"
      aria-label="New sweep"
      onSubmit={(e) => {
        e.preventDefault();
        if (canLaunch) create.mutate({ teamSlug, ...source, idempotencyKey });
      }}
    >
      <div className="form-bar" role="toolbar" aria-label="Spec source">
        <div className="segmented" role="group" aria-label="Edit as">
          <button type="button" className="button button-compact" aria-pressed={mode === 'form'} onClick={() => mode === 'yaml' && showForm()}>
            Form
          </button>
          <button type="button" className="button button-compact" aria-pressed={mode === 'yaml'} onClick={() => mode === 'form' && showYaml()}>
            YAML
          </button>
        </div>
        <label className="inline-field">
          <span>Start from an example</span>
          <select value="" onChange={(e) => loadExample(e.target.value)}>
            <option value="">choose…</option>
            {SWEEP_EXAMPLES.map((e) => (
              <option key={e.file} value={e.file}>
                {e.file.replace(/\.yaml$/, '')}
              </option>
            ))}
          </select>
        </label>
      </div>

      {mode === 'yaml' ? (
        <div className="field">
          <label htmlFor="sweep-yaml">Sweep spec (YAML)</label>
          <textarea
            id="sweep-yaml"
            className="yaml-editor"
            rows={22}
            spellCheck={false}
            value={yamlText}
            aria-invalid={Boolean(yamlError) || specIssues.length > 0}
            aria-describedby="yaml-issues"
            onChange={(e) => editYaml(e.target.value)}
          />
          <FieldIssues id="yaml-issues" messages={yamlError ? [yamlError] : issues.get('')} />
        </div>
      ) : (
        <div key={version} className="form-grid">
          <FieldIssues id={issuesId('spec')} messages={issues.get('')} />
          <Field label="Name" issueKey="name" issues={issues}>
            {(aria) => <input {...aria} defaultValue={text('name')} onChange={(e) => set('name', e.target.value)} />}
          </Field>
          <Field label="Project" issueKey="project" issues={issues}>
            {(aria) => (
              <select {...aria} value={text('project') || 'default'} onChange={(e) => set('project', e.target.value)}>
                {[...new Set([text('project') || 'default', ...(projects.data?.map((p) => p.slug) ?? [])])].map((slug) => (
                  <option key={slug} value={slug}>
                    {slug}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <fieldset className="field field-wide" data-field="architectures" aria-describedby={issues.get('architectures') ? issuesId('architectures') : undefined}>
            <legend>Architectures</legend>
            <div className="checks">
              {ARCHITECTURES.map((a) => (
                <label key={a} className="check">
                  <input type="checkbox" checked={architectures.includes(a)} onChange={(e) => update(setArchitecture(spec, a, e.target.checked, ARCHITECTURES))} />
                  {a}
                </label>
              ))}
            </div>
            <FieldIssues id={issuesId('architectures')} messages={issues.get('architectures')} />
          </fieldset>
          <Field label="Dataset" issueKey="dataset.dataset" issues={issues}>
            {(aria) => (
              <select {...aria} value={text('dataset.dataset') || 'fashion-mnist'} onChange={(e) => set('dataset.dataset', e.target.value)}>
                {DATASETS.map((d) => (
                  <option key={d}>{d}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Images per class" issueKey="dataset.subsetPerClass" issues={issues} hint="empty: the whole training split">
            {(aria) => <input {...aria} inputMode="numeric" defaultValue={text('dataset.subsetPerClass')} onChange={(e) => set('dataset.subsetPerClass', readNumber(e.target.value))} />}
          </Field>
          <Field label="Validation size" issueKey="dataset.validationSize" issues={issues} hint="images, or a fraction below 1">
            {(aria) => <input {...aria} inputMode="decimal" defaultValue={text('dataset.validationSize')} onChange={(e) => set('dataset.validationSize', readNumber(e.target.value))} />}
          </Field>
          <Field label="Method" issueKey="method" issues={issues}>
            {(aria) => (
              <select {...aria} value={text('method')} onChange={(e) => update(setMethod(spec, e.target.value))}>
                {SWEEP_METHODS.map((m) => (
                  <option key={m} value={m}>
                    {m === 'tpe' ? 'TPE' : m}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Metric" issueKey="metric.name" issues={issues}>
            {(aria) => (
              <select {...aria} value={text('metric.name')} onChange={(e) => update(setIn(spec, ['metric'], { name: e.target.value }))}>
                {MONITORS.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Repeats (seeds)" issueKey="repeats" issues={issues}>
            {(aria) => <input {...aria} inputMode="numeric" defaultValue={text('repeats')} onChange={(e) => set('repeats', readNumber(e.target.value))} />}
          </Field>
          <Field label="Max runs" issueKey="maxRuns" issues={issues} hint="required for random and TPE">
            {(aria) => <input {...aria} inputMode="numeric" defaultValue={text('maxRuns')} onChange={(e) => set('maxRuns', readNumber(e.target.value))} />}
          </Field>
          <Field label="Max concurrent" issueKey="maxConcurrent" issues={issues}>
            {(aria) => <input {...aria} inputMode="numeric" defaultValue={text('maxConcurrent')} onChange={(e) => set('maxConcurrent', readNumber(e.target.value))} />}
          </Field>
          <Field label="Resource class" issueKey="resourceClass" issues={issues}>
            {(aria) => (
              <select {...aria} value={text('resourceClass') || 'cpu'} onChange={(e) => set('resourceClass', e.target.value)}>
                {RESOURCE_CLASSES.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            )}
          </Field>
          {isTpe && (
            <fieldset className="field field-wide" data-field="tpe">
              <legend>TPE</legend>
              <div className="checks">
                {TPE_FIELDS.map(({ key, label, hint }) => (
                  <Field key={key} label={label} issueKey={`tpe.${key}`} issues={issues} hint={`${hint}; empty: ${TPE_DEFAULTS[key]}`}>
                    {(aria) => (
                      <input
                        {...aria}
                        inputMode="numeric"
                        placeholder={String(TPE_DEFAULTS[key])}
                        defaultValue={text(`tpe.${key}`)}
                        onChange={(e) => set(`tpe.${key}`, readNumber(e.target.value))}
                      />
                    )}
                  </Field>
                ))}
              </div>
              <FieldIssues id={issuesId('tpe')} messages={issues.get('tpe')} />
            </fieldset>
          )}
          <fieldset className="field field-wide" data-field="earlyTermination">
            <legend>Early termination</legend>
            <label className="check">
              <input type="checkbox" checked={hasEarly} onChange={(e) => set('earlyTermination', e.target.checked ? { type: 'hyperband', minEpochs: 3, eta: 3 } : undefined)} />
              Hyperband / ASHA pruning
            </label>
            {hasEarly && (
              <div className="checks">
                <Field label="Min epochs (first rung)" issueKey="earlyTermination.minEpochs" issues={issues}>
                  {(aria) => <input {...aria} inputMode="numeric" defaultValue={text('earlyTermination.minEpochs')} onChange={(e) => set('earlyTermination.minEpochs', readNumber(e.target.value))} />}
                </Field>
                <Field label="Eta (keep 1 in eta)" issueKey="earlyTermination.eta" issues={issues}>
                  {(aria) => <input {...aria} inputMode="numeric" defaultValue={text('earlyTermination.eta')} onChange={(e) => set('earlyTermination.eta', readNumber(e.target.value))} />}
                </Field>
              </div>
            )}
            <FieldIssues id={issuesId('earlyTermination')} messages={issues.get('earlyTermination')} />
          </fieldset>
          <fieldset className="field field-wide" data-field="parameters">
            <legend>Hyperparameters</legend>
            <span className="sub">Dotted run-config paths; values are read as YAML (0.001, relu, {'{ name: adam }'}).</span>
            <ParameterRows parameters={asRecord(spec.parameters)} issues={issues} onChange={(next) => set('parameters', next)} />
          </fieldset>
        </div>
      )}

      <SweepPreview
        preview={shown}
        isChecking={preview.isFetching}
        issues={specIssues}
        error={preview.isError ? preview.error : null}
        isStale={preview.isPlaceholderData || answer?.ok === false}
      />

      {create.isError && <p className="error-box">Could not create the sweep: {createIssues.length ? createIssues.map((i) => `${i.path}: ${i.message}`).join('; ') : describeError(create.error)}</p>}
      <button type="submit" className="button button-launch" disabled={!canLaunch}>
        {create.isPending || create.isSuccess ? 'Launching…' : canLaunch ? `Launch ${answer.runs} runs` : isFresh ? 'Launch' : 'Checking…'}
      </button>
    </form>
  );
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
