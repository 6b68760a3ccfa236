import { UsageError } from '../../model/errors.ts';

/**
 * The environment variable mapping official image names to the images that serve them here,
 * e.g. `postgres:17=registry.internal/postgres:17,mysql:9.7=migration-gate-local/mysql:9.7`:
 * for machines that cannot pull from Docker Hub (a registry mirror, local stand-ins in tests).
 * The report still names the image chosen, the official one.
 */
export const IMAGE_MIRROR_VARIABLE = 'MIGRATION_GATE_IMAGE_MIRROR';

/** Official image name → the image run in its place. */
export type ImageMirror = ReadonlyMap<string, string>;

/** Reads `name=replacement` pairs separated by commas; a malformed pair is a usage error. */
export function parseImageMirror(text: string | undefined): ImageMirror {
  const mirror = new Map<string, string>();
  for (const pair of (text ?? '').split(',').map((part) => part.trim())) {
    if (pair === '') continue;
    const [from, to, ...rest] = pair.split('=').map((part) => part.trim());
    if (from === undefined || from === '' || to === undefined || to === '' || rest.length > 0)
      throw new UsageError(`${IMAGE_MIRROR_VARIABLE}: "${pair}" is not image=replacement`);
    mirror.set(from, to);
  }
  return mirror;
}

/** The image to run for `image`: its replacement in the mirror, else itself. */
export function mirroredImage(image: string, mirror: ImageMirror): string {
  return mirror.get(image) ?? image;
}

/** The image this machine runs for `image`, by {@link IMAGE_MIRROR_VARIABLE}. */
export function machineMirrorImage(image: string): string {
  return mirroredImage(image, parseImageMirror(process.env[IMAGE_MIRROR_VARIABLE]));
}
