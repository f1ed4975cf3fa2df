/** Set to 1 by a parent that holds this process's stdin open for as long as it lives. */
const STOP_WITH_PARENT_ENV = 'HZ_STOP_WITH_PARENT';

export const readStopWithParent = (source: Record<string, string | undefined> = process.env): boolean => source[STOP_WITH_PARENT_ENV] === '1';
