'use client';

import type { ReactNode } from 'react';

/** The API's messages for one field, tied to its input by id (aria-describedby). */
export function FieldIssues({ id, messages }: { id: string; messages: readonly string[] | undefined }) {
  if (!messages?.length) return null;
  return (
    <ul className="field-issues" id={id} role="alert">
      {messages.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  );
}

export const issuesId = (key: string) => `issues-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;

interface TFieldProps {
  label: string;
  issueKey: string;
  issues: ReadonlyMap<string, string[]>;
  hint?: string;
  children: (props: { 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode;
}

/** A labelled field with its issues underneath. */
export function Field({ label, issueKey, issues, hint, children }: TFieldProps) {
  const messages = issues.get(issueKey);
  const describedBy = messages?.length ? issuesId(issueKey) : undefined;
  return (
    <div className="field" data-field={issueKey}>
      <label>
        <span>{label}</span>
        {children({ 'aria-invalid': Boolean(messages?.length), 'aria-describedby': describedBy })}
      </label>
      {hint && <span className="sub">{hint}</span>}
      <FieldIssues id={issuesId(issueKey)} messages={messages} />
    </div>
  );
}

/** Text typed into a number field: '' is "not set", anything else a number (or the text, for the API to refuse). */
export function readNumber(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}
