import { z } from 'zod';

// A high surrogate not followed by a low one, or a low one without a high one before it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether Postgres can store the string (text or jsonb): no NUL byte, no lone UTF-16 surrogate. */
const isStorableText = (s: string): boolean => !s.includes('\0') && !LONE_SURROGATE.test(s);

const NOT_STORABLE = 'must not contain NUL bytes or lone UTF-16 surrogates';

/** Every string that is stored goes through this (Postgres would answer a 500 for the rest). */
export const zText = (max: number) => z.string().max(max).refine(isStorableText, NOT_STORABLE);

function isStorableJson(value: unknown): boolean {
  if (typeof value === 'string') return isStorableText(value);
  if (Array.isArray(value)) return value.every(isStorableJson);
  if (value !== null && typeof value === 'object') return Object.entries(value).every(([k, v]) => isStorableText(k) && isStorableJson(v));
  return true;
}

/** Free-form JSON that is stored (jsonb): the same rule for every key and string inside. */
export const zStorableJson = z.unknown().refine(isStorableJson, `strings ${NOT_STORABLE}`);
