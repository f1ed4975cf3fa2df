'use client';

import { useState } from 'react';

import { FieldIssues, issuesId } from '@/components/sweeps/form-fields';
import {
  formatListText,
  formatValueText,
  getParameterKind,
  parseListText,
  parseValueText,
  specToYaml,
  yamlToSpec,
} from '@/lib/sweep-form';
import type { TParameterKind } from '@/lib/sweep-form';

type TParameter = Record<string, unknown>;

/** Parameters whose range is usually searched on a log scale. */
const LOG_SCALE_HINT = /learningRate|weightDecay|epsilon|decay/i;

interface TRowProps {
  path: string;
  parameter: unknown;
  messages: readonly string[] | undefined;
  onChange: (next: unknown) => void;
  onRemove: () => void;
}

/** A new parameter of `kind` from what the row held before, so switching kinds keeps the numbers. */
function convert(path: string, parameter: unknown, kind: TParameterKind): TParameter {
  const p = (typeof parameter === 'object' && parameter !== null ? parameter : {}) as TParameter;
  const values = Array.isArray(p.values) ? (p.values as unknown[]) : 'value' in p ? [p.value] : [];
  const numbers = values.filter((v): v is number => typeof v === 'number');
  if (kind === 'fixed') return { value: values[0] ?? p.min ?? '' };
  if (kind === 'list') return { values: values.length ? values : [p.min, p.max].filter((v) => v !== undefined) };
  if (kind === 'range') {
    const min = typeof p.min === 'number' ? p.min : numbers.length ? Math.min(...numbers) : 0;
    const max = typeof p.max === 'number' ? p.max : numbers.length ? Math.max(...numbers) : 1;
    return { distribution: LOG_SCALE_HINT.test(path) && min > 0 ? 'log_uniform' : 'uniform', min, max };
  }
  return p;
}

/** One hyperparameter: a fixed value, a list, a range (log scale, integers), or YAML for the rest. */
function ParameterRow({ path, parameter, messages, onChange, onRemove }: TRowProps) {
  const kind = getParameterKind(parameter);
  const p = (typeof parameter === 'object' && parameter !== null ? parameter : {}) as TParameter;
  const [localError, setLocalError] = useState<string | null>(null);
  const id = `param-${path.replace(/\W/g, '-')}`;
  const describedBy = messages?.length || localError ? issuesId(`parameters.${path}`) : undefined;
  const invalid = Boolean(messages?.length || localError);

  function commit(read: () => unknown) {
    try {
      onChange(read());
      setLocalError(null);
    } catch (err) {
      setLocalError((err as Error).message.split('\n')[0] ?? 'cannot read this');
    }
  }
  const distribution = typeof p.distribution === 'string' ? p.distribution : 'uniform';

  return (
    <fieldset className="parameter-row" data-parameter={path}>
      <legend>
        <code>{path}</code>
      </legend>
      <label className="inline-field">
        <span>Kind</span>
        <select value={kind} onChange={(e) => onChange(convert(path, parameter, e.target.value as TParameterKind))}>
          <option value="fixed">fixed value</option>
          <option value="list">list</option>
          <option value="range">range</option>
          <option value="other" disabled={kind !== 'other'}>
            other (YAML)
          </option>
        </select>
      </label>
      {kind === 'fixed' && (
        <label className="inline-field">
          <span>Value</span>
          <input id={`${id}-value`} defaultValue={formatValueText(p.value)} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => commit(() => ({ value: parseValueText(e.target.value) }))} />
        </label>
      )}
      {kind === 'list' && (
        <label className="inline-field">
          <span>Values</span>
          <input
            id={`${id}-values`}
            className="wide"
            defaultValue={formatListText(Array.isArray(p.values) ? (p.values as unknown[]) : [])}
            placeholder="relu, sigmoid"
            aria-invalid={invalid}
            aria-describedby={describedBy}
            onChange={(e) => commit(() => ({ values: parseListText(e.target.value) }))}
          />
        </label>
      )}
      {kind === 'range' && (
        <>
          <label className="inline-field">
            <span>Min</span>
            <input inputMode="decimal" defaultValue={p.min === undefined ? '' : formatValueText(p.min)} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => commit(() => ({ ...p, min: parseValueText(e.target.value) }))} />
          </label>
          <label className="inline-field">
            <span>Max</span>
            <input inputMode="decimal" defaultValue={p.max === undefined ? '' : formatValueText(p.max)} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => commit(() => ({ ...p, max: parseValueText(e.target.value) }))} />
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={distribution === 'log_uniform'}
              onChange={(e) => onChange({ ...p, distribution: e.target.checked ? 'log_uniform' : 'uniform' })}
            />
            log scale
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={distribution === 'int_uniform'}
              onChange={(e) => onChange({ ...p, distribution: e.target.checked ? 'int_uniform' : 'uniform' })}
            />
            integers
          </label>
        </>
      )}
      {kind === 'other' && (
        <label className="inline-field">
          <span>YAML</span>
          <textarea
            rows={3}
            className="wide"
            defaultValue={specToYaml(p)}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            onChange={(e) =>
              commit(() => {
                const read = yamlToSpec(e.target.value);
                if (!read.ok) throw new Error(read.message);
                return read.spec;
              })
            }
          />
        </label>
      )}
      <button type="button" className="button button-compact" onClick={onRemove} aria-label={`Remove ${path}`}>
        Remove
      </button>
      <FieldIssues id={issuesId(`parameters.${path}`)} messages={[...(localError ? [localError] : []), ...(messages ?? [])]} />
    </fieldset>
  );
}

interface TProps {
  parameters: Record<string, unknown>;
  issues: ReadonlyMap<string, string[]>;
  onChange: (next: Record<string, unknown>) => void;
}

/** The spec's shared parameters as rows, plus a field to add one by its run-config path. */
export function ParameterRows({ parameters, issues, onChange }: TProps) {
  const [newPath, setNewPath] = useState('');
  function add() {
    const path = newPath.trim();
    if (!path || path in parameters) return;
    onChange({ ...parameters, [path]: { values: [] } });
    setNewPath('');
  }
  return (
    <div className="parameter-rows">
      {Object.entries(parameters).map(([path, parameter]) => (
        <ParameterRow
          key={path}
          path={path}
          parameter={parameter}
          messages={issues.get(`parameters.${path}`)}
          onChange={(next) => onChange({ ...parameters, [path]: next })}
          onRemove={() => onChange(Object.fromEntries(Object.entries(parameters).filter(([k]) => k !== path)))}
        />
      ))}
      <div className="inline-field add-parameter">
        <label className="inline-field">
          <span>Add parameter</span>
          <input
            value={newPath}
            placeholder="optimizer.learningRate"
            onChange={(e) => setNewPath(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
          />
        </label>
        <button type="button" className="button button-compact" onClick={add} disabled={!newPath.trim()}>
          Add
        </button>
      </div>
    </div>
  );
}
