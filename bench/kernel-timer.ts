import * as tf from '@tensorflow/tfjs';

export type TKernelTimes = Map<string, { ms: number; calls: number }>;

/**
 * Wraps every kernel of `backendName` with a CPU-time meter (outermost kernel only, so kernels
 * that call other kernels are not counted twice). CPU time rather than wall time, because this
 * machine is shared; cheaper than tf.profile, which also tracks memory.
 * Returns a function that restores the kernels and the times collected.
 */
export function timeKernels(backendName: string): () => TKernelTimes {
  const times: TKernelTimes = new Map();
  const originals = tf.getKernelsForBackend(backendName);
  let depth = 0;
  for (const config of originals) {
    const { kernelName, kernelFunc } = config;
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel({
      ...config,
      setupFunc: undefined,
      kernelFunc: (args) => {
        if (depth > 0) return kernelFunc(args);
        depth += 1;
        const t0 = process.cpuUsage();
        try {
          return kernelFunc(args);
        } finally {
          depth -= 1;
          const entry = times.get(kernelName) ?? { ms: 0, calls: 0 };
          const used = process.cpuUsage(t0);
          entry.ms += (used.user + used.system) / 1000;
          entry.calls += 1;
          times.set(kernelName, entry);
        }
      },
    });
  }
  return () => {
    for (const config of originals) {
      tf.unregisterKernel(config.kernelName, backendName);
      tf.registerKernel({ ...config, setupFunc: undefined });
    }
    return times;
  };
}
