// Node-only (node:fs): the SDK for users' own tfjs scripts. `import * as hz from '@hyperzoo/client/sdk'`.
export { HzRun, init } from './run';
export type { TFinishOptions, THzCallback, TInitOptions } from './run';
export { syncOfflineRun } from './sync';
export type { TSyncResult } from './sync';
