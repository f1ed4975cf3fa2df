import { createHash, randomBytes } from 'node:crypto';

import { hash, verify } from '@node-rs/argon2';

/** API keys and session tokens are 256-bit random secrets, so a fast SHA-256 is the right hash (as for GitHub tokens). */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** `hz_<prefix>_<secret>`: the prefix identifies the key in listings without revealing it. */
export function newApiKey(): { key: string; prefix: string; keyHash: string } {
  const prefix = randomBytes(6).toString('hex');
  const key = `hz_${prefix}_${newSecret()}`;
  return { key, prefix, keyHash: sha256(key) };
}

/** Passwords are low-entropy: argon2id. */
export const hashPassword = (password: string) => hash(password);
export const verifyPassword = (passwordHash: string, password: string) => verify(passwordHash, password).catch(() => false);
