/** One line saying why an optional backend package did not load, and what would fix it. */
export function explainLoadError(pkg: string, error: unknown): string {
  const err = error as { code?: string; message?: string } | undefined;
  const message = (err?.message ?? String(error)).split('\n')[0] ?? '';
  // Node says "Cannot find package"; vite (vitest) says "Could not resolve" / "Failed to load".
  const notFound =
    err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND' || /Cannot find (package|module)|Could not resolve|Failed to (load|resolve)/.test(message);
  if (notFound && message.includes(pkg)) return `${pkg}: module not found (npm install ${pkg}@4.22.0)`;
  if (/libcud|cudnn|libcublas|libcufft|libcurand|libcusolver|libcusparse/i.test(message)) {
    return `${pkg}: CUDA/cuDNN libraries missing (${message})`;
  }
  if (/libtensorflow|tfjs_binding\.node|native addon/i.test(message)) {
    return `${pkg}: libtensorflow native binding missing; its install script downloads it (${message})`;
  }
  return `${pkg}: failed to load (${message})`;
}
