export { onShutdown } from './shutdown';
