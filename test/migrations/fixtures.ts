import { createHash } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Absolute path of a migration fixture folder (or a file in it). */
export function fixture(...segments: string[]): string {
  return resolve(import.meta.dirname, '../fixtures/migrations', ...segments);
}

/** sha256 hex, to state expected checksums independently of the code under test. */
export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A temporary folder outside the project (no node_modules above it), removed on dispose. */
export async function temporaryFolder(): Promise<AsyncDisposable & { readonly path: string }> {
  const path = await mkdtemp(join(tmpdir(), 'migration-gate-test-'));
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}

/** Copies a fixture into a temporary folder, so it can be edited or loaded far from node_modules. */
export async function copyFixture(name: string): Promise<AsyncDisposable & { readonly path: string }> {
  const folder = await temporaryFolder();
  await cp(fixture(name), folder.path, { recursive: true });
  return folder;
}
