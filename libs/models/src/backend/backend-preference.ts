import { z } from 'zod';

/** TFJS_BACKEND values: auto tries them in this order (ARCHITECTURE.md, Backends). */
const BACKEND_PREFERENCES = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export const ZBackendPreference = z.enum(BACKEND_PREFERENCES);
export type TBackendPreference = z.infer<typeof ZBackendPreference>;
export type TBackendName = Exclude<TBackendPreference, 'auto'>;

export type TBackendInfo = {
  /** What runs the tensors: 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu'. */
  backend: TBackendName;
  /** GPU name when known, otherwise the CPU model and core count. */
  device: string;
  /** Why each backend tried before this one was not used (auto only). */
  fallbackReasons: string[];
};
