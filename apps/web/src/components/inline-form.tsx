'use client';

import type { FormEvent, ReactNode } from 'react';

/**
 * A one-line create form of the admin pages (keys, projects, invitations): its fields, the API's
 * error under them, and a submit button that says what it is doing while the call runs.
 */
export function InlineForm({
  label,
  submit,
  busyLabel,
  pending,
  error,
  onSubmit,
  children,
}: {
  label: string;
  submit: string;
  busyLabel: string;
  pending: boolean;
  error: string | null;
  onSubmit: () => void;
  children: ReactNode;
}) {
  function handle(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    onSubmit();
  }
  return (
    <form className="form form-inline" onSubmit={handle} aria-label={label}>
      {children}
      {error && <FormError message={error} />}
      <button className="button" type="submit" disabled={pending}>
        {pending ? busyLabel : submit}
      </button>
    </form>
  );
}

/** An API error next to what caused it, announced to screen readers. */
export function FormError({ message }: { message: string }) {
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}
