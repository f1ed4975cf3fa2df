import { z } from 'zod';

/** A URL with one of the given protocols, e.g. zUrl('postgres:', 'postgresql:'). */
export const zUrl = (...protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/** A TCP port; 0 asks the OS for a free one (tests). */
export const zPort = z.coerce.number().int().min(0).max(65535);

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Parses env vars; on failure one line per bad variable, naming it (no stack trace at start-up). */
export function parseEnv<S extends z.ZodType>(app: string, schema: S, source: Record<string, string | undefined>): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `${i.path.join('.') || '(env)'}=${JSON.stringify(source[String(i.path[0])] ?? null)}: ${i.message}`);
  throw new EnvError(`${app}: invalid environment: ${lines.join('; ')}`);
}

/** Hides the password in a connection URL for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Comma-separated http(s) URL prefixes (empty: none), as HZ_MODEL_URL_ALLOWLIST is given to the api, worker and CLI. */
export const zUrlPrefixList = z
  .string()
  .default('')
  .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
  .pipe(z.array(z.url({ protocol: /^https?$/ })));
