/**
 * Assembles kernels.wat into simd-kernels-binary.ts (the module as base64), so nothing needs a
 * WebAssembly toolchain at run time. Run after editing kernels.wat:
 *   npx tsx libs/models/src/backend/wasm/simd/build-simd-kernels.ts
 * Uses wabt's wat2wasm from the npm registry (npx), not a project dependency.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(mkdtempSync(join(tmpdir(), 'hz-wat-')), 'kernels.wasm');
execFileSync('npx', ['--yes', '-p', 'wabt@1.0.39', 'wat2wasm', join(here, 'kernels.wat'), '-o', out], { stdio: 'inherit' });
const base64 = readFileSync(out).toString('base64');
writeFileSync(
  join(here, 'simd-kernels-binary.ts'),
  `// Generated from kernels.wat by build-simd-kernels.ts (wabt 1.0.39 wat2wasm). Do not edit.\nexport const SIMD_KERNELS_WASM_BASE64 =\n  '${base64}';\n`,
);
console.log(`simd-kernels-binary.ts: ${base64.length} base64 characters`);
