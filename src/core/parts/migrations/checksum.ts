import { createHash } from 'node:crypto';

/**
 * sha256 (hex) of a migration's source texts. Parts are separated by a NUL so that moving text
 * from an up file to its down file still changes the checksum.
 */
export function checksumOf(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  parts.forEach((part, index) => {
    if (index > 0) hash.update('\0');
    hash.update(part);
  });
  return hash.digest('hex');
}
