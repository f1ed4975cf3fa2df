import { z } from 'zod';

export { ARCHITECTURE_OPTIONS } from '@hyperzoo/schemas';

import { ZooBuildError } from './graph';

/** [height, width, channels], NHWC without the batch axis. */
export const ZInputShape = z.tuple([
  z.number().int().min(1).max(4096),
  z.number().int().min(1).max(4096),
  z.number().int().min(1).max(64),
]);
export type TInputShape = z.infer<typeof ZInputShape>;

/** Fashion-MNIST, the zoo's reference data set (ZOO.md). */
export const FASHION_MNIST_SHAPE: TInputShape = [28, 28, 1];
export const FASHION_MNIST_CLASSES = 10;

export const ZClasses = z.number().int().min(2).max(100_000);
export const ZSeed = z.number().int().min(0).max(2 ** 31 - 1);

/** Fields every zoo builder shares. */
export const commonOptionFields = {
  inputShape: ZInputShape.default(FASHION_MNIST_SHAPE),
  classes: ZClasses.default(FASHION_MNIST_CLASSES),
  seed: ZSeed.default(42),
};

/** Parse builder options; a zod failure becomes one ZooBuildError naming the arch and each bad path. */
export function parseOptions<S extends z.ZodType>(arch: string, schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(options)'}: ${issue.message}`);
  throw new ZooBuildError(`${arch}: invalid options: ${issues.join('; ')}`);
}
