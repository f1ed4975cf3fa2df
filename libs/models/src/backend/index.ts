export * from './backend-preference';
export { initBackend } from './init-backend';
export { loadOnednn } from './native/addon';
export { hasFusedBatchNormTraining } from './native/batch-norm';
export { unregisterOnednnBatchNormKernels, unregisterOnednnConvKernels } from './native/onednn-kernels';
export { registerWasmTrainingKernels, unregisterWasmTrainingKernels, WASM_TRAINING_KERNELS } from './wasm/register-training-kernels';
export { installFusedOptimizerUpdates, uninstallFusedOptimizerUpdates } from './fused-optimizers/install';
export { liveTensorCount } from './live-tensors';
