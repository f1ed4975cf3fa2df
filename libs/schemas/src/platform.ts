import { z } from 'zod';

import { zText } from './text';

/** TFJS_BACKEND values; `auto` tries the others in this order (ARCHITECTURE.md, Backends). */
export const BACKEND_PREFERENCES = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export const ZBackendPreference = z.enum(BACKEND_PREFERENCES);
export type TBackendPreference = z.infer<typeof ZBackendPreference>;

/** What actually runs the tensors once `auto` is resolved. */
export const BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export const ZBackend = z.enum(BACKENDS);
export type TBackend = z.infer<typeof ZBackend>;

/** Queues by resource class: a run can demand one, a worker serves one. */
export const RESOURCE_CLASSES = ['cpu', 'gpu'] as const;
export const ZResourceClass = z.enum(RESOURCE_CLASSES);
export type TResourceClass = z.infer<typeof ZResourceClass>;

/** One compute device of a worker, as it registers. */
export const ZDevice = z.object({
  kind: ZResourceClass,
  name: zText(300),
  memoryMb: z.number().nullable(),
  cores: z.number().int().nullable(),
});
export type TDevice = z.infer<typeof ZDevice>;

/** The dashboard's session cookie (set by the API, read by the web's route guard). */
export const SESSION_COOKIE = 'hz_session';
