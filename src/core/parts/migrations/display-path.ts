import { isAbsolute, relative } from 'node:path';

/** A path as short as it can be for messages: relative to the working directory when inside it. */
export function displayPath(path: string): string {
  const fromCwd = relative(process.cwd(), path);
  return fromCwd === '' || fromCwd.startsWith('..') || isAbsolute(fromCwd) ? path : fromCwd;
}
