import { nodeAppConfig } from '../../tsup.node';

// The trainer is its own entry: the worker forks it as dist/trainer.js.
export default nodeAppConfig(['src/main.ts', 'src/trainer.ts']);
