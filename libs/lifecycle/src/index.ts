export { STOP_WITH_PARENT_ENV } from './env';
export { onShutdown } from './shutdown';
