import type { TBackend } from '@hyperzoo/schemas';

// The names live in libs/schemas (the worker and the API use them without tfjs).
export { BACKEND_PREFERENCES, ZBackendPreference, type TBackendPreference } from '@hyperzoo/schemas';
export type TBackendName = TBackend;

export type TBackendInfo = {
  /** What runs the tensors: 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu'. */
  backend: TBackendName;
  /** GPU name when known, otherwise the CPU model and core count. */
  device: string;
  /** Why each backend tried before this one was not used (auto only). */
  fallbackReasons: string[];
};
