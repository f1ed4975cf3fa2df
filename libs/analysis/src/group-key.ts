import { z } from 'zod';

import type { TRunConfig } from '@hyperzoo/schemas';

/** Run settings the analysis can group by. */
export const GROUP_BY = ['architecture', 'optimizer', 'activation', 'dropout', 'learningRate', 'batchSize', 'width', 'dataset'] as const;
export const ZGroupBy = z.enum(GROUP_BY);
export type TGroupBy = z.infer<typeof ZGroupBy>;

/** The group of a run: one setting of its config, as text ('-' where its architecture has no such option). */
export function findGroupKey(config: TRunConfig, by: TGroupBy): string {
  switch (by) {
    case 'architecture':
      return config.architecture;
    case 'optimizer':
      return config.optimizer.name;
    case 'activation':
      return 'activation' in config ? config.activation : '-';
    case 'dropout':
      return String(config.dropout);
    case 'learningRate':
      return String(config.optimizer.learningRate);
    case 'batchSize':
      return String(config.batchSize);
    case 'width':
      return 'width' in config ? String(config.width) : '-';
    case 'dataset':
      return config.data.dataset;
  }
}
