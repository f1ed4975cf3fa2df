import { describe, expect, it } from 'vitest';

import { IMAGENET_CLASS_COUNT, IMAGENET_LABELS, getImagenetClassNames } from './imagenet-classes';

describe('ImageNet class names', () => {
  it('has 1000 classes in Keras imagenet_class_index order', () => {
    const names = getImagenetClassNames();
    expect(names).toHaveLength(IMAGENET_CLASS_COUNT);
    expect(names.slice(0, 3)).toEqual(['tench', 'goldfish', 'great white shark']);
    expect(names[207]).toBe('golden retriever');
    expect(names[281]).toBe('tabby');
    expect(names[340]).toBe('zebra');
    expect(names[948]).toBe('Granny Smith');
    expect(names[999]).toBe('toilet tissue');
    expect(IMAGENET_LABELS[2]).toContain('Carcharodon carcharias');
    expect(names.every((n) => n.length > 0)).toBe(true);
  });
});
