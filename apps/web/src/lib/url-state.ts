'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useState } from 'react';

/**
 * One query parameter as React state: read once from the address, then written back with the
 * history API (Next syncs useSearchParams with it and asks the server for nothing), so every
 * view is a deep link. '' removes the parameter.
 */
export function useUrlParam(name: string): [string, (next: string) => void] {
  const pathname = usePathname();
  const params = useSearchParams();
  const [value, setValue] = useState(() => params.get(name) ?? '');
  function set(next: string) {
    setValue(next);
    const query = new URLSearchParams(window.location.search);
    if (next) query.set(name, next);
    else query.delete(name);
    const search = query.toString().replaceAll('%2C', ',');
    window.history.replaceState(null, '', search ? `${pathname}?${search}` : pathname);
  }
  return [value, set];
}
