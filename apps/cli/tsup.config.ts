import { nodeAppConfig } from '../../tsup.node';

export default nodeAppConfig(['src/main.ts']);
