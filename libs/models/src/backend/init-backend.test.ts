import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { initBackend } from './init-backend';
import { loadOnednn } from './native/addon';
import { ONEDNN_KERNELS } from './native/onednn-kernels';
import { WASM_TRAINING_KERNELS } from './wasm/register-training-kernels';

// Neither tfjs-node package is installed here (their install scripts download libtensorflow).
describe('initBackend', () => {
  it("'auto' falls back to wasm and says why each tfjs-node package was skipped", async () => {
    const info = await initBackend('auto');
    expect(info.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.device).toMatch(/\d+ cores? \(wasm/);
    expect(info.fallbackReasons).toEqual([
      expect.stringMatching(/^@tensorflow\/tfjs-node-gpu: module not found/),
      expect.stringMatching(/^@tensorflow\/tfjs-node: module not found/),
    ]);
  });

  it('registers our training kernels on wasm, convolutions and pooling by oneDNN where it is installed', async () => {
    const info = await initBackend('wasm');
    const onednn = 'addon' in loadOnednn();
    expect(info.device.includes('oneDNN convolutions')).toBe(onednn);
    const convolutions = new Set<string>(ONEDNN_KERNELS);
    for (const [name, kernelFunc] of Object.entries(WASM_TRAINING_KERNELS)) {
      const registered = tf.getKernel(name, 'wasm')?.kernelFunc;
      if (onednn && convolutions.has(name)) expect(registered, name).not.toBe(kernelFunc);
      else expect(registered, name).toBe(kernelFunc);
    }
  });

  it('is idempotent and re-activates a backend another call switched away from', async () => {
    const first = await initBackend('wasm');
    const cpu = await initBackend('cpu');
    expect(cpu).toMatchObject({ backend: 'cpu', fallbackReasons: [] });
    expect(cpu.device).toMatch(/cores?$/);
    expect(tf.getBackend()).toBe('cpu');
    const again = await initBackend('wasm');
    expect(again).toEqual(first);
    expect(tf.getBackend()).toBe('wasm');
    const [a, b] = await Promise.all([initBackend('wasm'), initBackend('wasm')]);
    expect(a).toEqual(b);
  });

  it('throws for an explicit backend that cannot load, never falling back', async () => {
    await initBackend('wasm');
    await expect(initBackend('tensorflow-gpu')).rejects.toThrow(/initBackend\('tensorflow-gpu'\) failed: @tensorflow\/tfjs-node-gpu: module not found/);
    await expect(initBackend('tensorflow')).rejects.toThrow(/@tensorflow\/tfjs-node: module not found/);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects an unknown preference with the valid ones', async () => {
    await expect(initBackend('webgpu' as 'wasm')).rejects.toThrow(/unknown backend 'webgpu' \(expected one of auto, tensorflow-gpu, tensorflow, wasm, cpu\)/);
  });
});
