import { isAbsolute, relative, resolve } from 'node:path';

/**
 * A file (absolute, or relative to `cwd`) as a path from the repository root, as annotations
 * need it; unchanged when it lies outside the workspace.
 */
export function repositoryPath(workspace: string, cwd: string, file: string): string {
  const absolute = resolve(cwd, file);
  const path = relative(workspace, absolute);
  return path.startsWith('..') || isAbsolute(path) ? absolute : path.split('\\').join('/');
}
