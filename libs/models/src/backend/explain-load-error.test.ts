import { describe, expect, it } from 'vitest';

import { explainLoadError } from './explain-load-error';

describe('explainLoadError', () => {
  it('says when the package is not installed', () => {
    const error = Object.assign(new Error("Cannot find package '@tensorflow/tfjs-node-gpu' imported from /app/x.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(explainLoadError('@tensorflow/tfjs-node-gpu', error)).toBe('@tensorflow/tfjs-node-gpu: module not found (npm install @tensorflow/tfjs-node-gpu@4.22.0)');
  });

  it('recognises vite\'s wording of the same (vitest)', () => {
    const error = new Error('Could not resolve "@tensorflow/tfjs-node" imported by "@hyperzoo/models".');
    expect(explainLoadError('@tensorflow/tfjs-node', error)).toMatch(/^@tensorflow\/tfjs-node: module not found/);
  });

  it('names missing CUDA libraries', () => {
    const error = new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory');
    expect(explainLoadError('@tensorflow/tfjs-node-gpu', error)).toMatch(/CUDA\/cuDNN libraries missing \(libcudart\.so\.11\.0: cannot open/);
  });

  it('names a missing libtensorflow (install script never ran)', () => {
    const error = new Error('The Node.js native addon module (tfjs_binding.node) can not be found at path: /app/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node');
    expect(explainLoadError('@tensorflow/tfjs-node', error)).toMatch(/^@tensorflow\/tfjs-node: libtensorflow native binding missing/);
  });

  it('passes other errors through', () => {
    expect(explainLoadError('@tensorflow/tfjs-node', new Error('boom'))).toBe('@tensorflow/tfjs-node: failed to load (boom)');
  });
});
