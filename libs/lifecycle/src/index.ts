export { onShutdown } from './shutdown';
export { freePort } from './ports';
