import { nodeAppConfig } from '../../tsup.node';

// The trainer and the predictor are their own entries: the worker forks dist/trainer.js and dist/predictor.js.
export default nodeAppConfig(['src/main.ts', 'src/trainer.ts', 'src/predictor.ts']);
