// Node-only (node:fs): the SDK for users' own tfjs scripts. `import * as hz from '@hyperzoo/client/sdk'`.
export { init } from './run';
export { syncOfflineRun } from './sync';
export type { TSyncResult } from './sync';
