import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import yauzl from 'yauzl';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { uploadBackupArtifact } from '../../src/action/backup-artifact-upload.ts';
import { messageOf } from '../../src/core/model/errors.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import { startFakeActionsResults } from './fake-actions-results.ts';
import type { FakeActionsResults } from './fake-actions-results.ts';

const RUN_BACKEND_ID = 'ce7f54c7-61c7-4aae-887f-30da475f5f1a';
const JOB_BACKEND_ID = 'ca395085-040a-526b-2ce8-bdc85f692774';
const DUMP = 'app-20261122T024400656Z.dump';
const MANIFEST = 'app-20261122T024400656Z.manifest.json';
const DUMP_CONTENT = 'PGDMP production rows: alice@example.com\n';
const MANIFEST_CONTENT = '{"format":"pg-custom","sha256":"00"}\n';

/** An unsigned JWT as the runner's ACTIONS_RUNTIME_TOKEN: only its `scp` claim is read. */
function runtimeToken(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const scp = `Actions.ExampleScope Actions.Results:${RUN_BACKEND_ID}:${JOB_BACKEND_ID}`;
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ scp })}.`;
}

/** The zip's files, by entry name. */
async function unzip(zip: Buffer): Promise<Record<string, string>> {
  const file = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
  const files: Record<string, string> = {};
  try {
    for await (const entry of file.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      files[entry.fileName] = await text(await file.openReadStreamPromise(entry));
    }
  } finally {
    file.close();
  }
  return files;
}

let dir: string;
let files: string[];
let results: FakeActionsResults;
const token = runtimeToken();

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'migration-gate-backup-artifact-'));
  files = [join(dir, DUMP), join(dir, MANIFEST)];
  await writeFile(files[0]!, DUMP_CONTENT, { mode: 0o600 });
  await writeFile(files[1]!, MANIFEST_CONTENT, { mode: 0o600 });
  results = await startFakeActionsResults();
  vi.stubEnv('ACTIONS_RUNTIME_TOKEN', token);
  vi.stubEnv('ACTIONS_RESULTS_URL', results.url);
  // As on github.com (GHES is refused), with no repository cap on retention.
  vi.stubEnv('GITHUB_SERVER_URL', 'https://github.com');
  vi.stubEnv('GITHUB_RETENTION_DAYS', '');
  // @actions/artifact logs through @actions/core, as workflow commands on stdout.
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await results[Symbol.asyncDispose]();
  await rm(dir, { recursive: true, force: true });
});

test('uploads the backup and its manifest as one flat zip, with the retention asked for', async () => {
  const uploaded = await uploadBackupArtifact({
    name: 'prod-backup',
    files,
    retentionDays: 5,
    logger: silentLogger,
  });

  expect(results.artifacts).toHaveLength(1);
  const artifact = results.artifacts[0]!;
  expect(uploaded).toEqual({ id: artifact.id, size: artifact.blob!.length, name: 'prod-backup' });
  expect(await unzip(artifact.blob!)).toEqual({ [DUMP]: DUMP_CONTENT, [MANIFEST]: MANIFEST_CONTENT });

  expect(artifact.create).toMatchObject({
    name: 'prod-backup',
    workflow_run_backend_id: RUN_BACKEND_ID,
    workflow_job_run_backend_id: JOB_BACKEND_ID,
  });
  // Five days from when it was sent: between now - 1 day and now + 5 days, whatever the test's pace.
  const expiresAt = Date.parse(String(artifact.create['expires_at']));
  const day = 24 * 60 * 60 * 1000;
  expect(expiresAt).toBeGreaterThan(Date.now() + 4 * day);
  expect(expiresAt).toBeLessThanOrEqual(Date.now() + 5 * day);
  expect(artifact.finalize).toMatchObject({ name: 'prod-backup', size: String(artifact.blob!.length) });

  // The runtime token goes to the results service only; blob storage gets the signed URL alone.
  const twirp = results.requests.filter((request) => request.url.startsWith('/twirp/'));
  const blob = results.requests.filter((request) => !request.url.startsWith('/twirp/'));
  expect(twirp.map((request) => request.url.split('/').pop())).toEqual([
    'CreateArtifact',
    'FinalizeArtifact',
  ]);
  for (const request of twirp) expect(request.authorization).toBe(`Bearer ${token}`);
  expect(blob.map((request) => new URL(request.url, results.url).searchParams.get('comp'))).toEqual([
    'block',
    'blocklist',
  ]);
  for (const request of blob) expect(request.authorization).toBeUndefined();
});

test("without retention days, the repository's setting applies: no expiry is sent", async () => {
  await uploadBackupArtifact({ name: 'prod-backup', files, logger: silentLogger });
  expect(results.artifacts[0]!.create).not.toHaveProperty('expires_at');
});

test('a CreateArtifact that is not ok fails naming the artifact, never the contents', async () => {
  results.failCreate({ status: 200, body: { ok: false, signed_upload_url: '' } });
  const error = await uploadBackupArtifact({ name: 'prod-backup', files, logger: silentLogger }).catch(
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  expect(messageOf(error)).toMatch(/^cannot upload the backup as artifact prod-backup: .*CreateArtifact/);
  expect(messageOf(error)).not.toContain('alice@example.com');
  expect(results.artifacts).toEqual([]);
});

test('a refused CreateArtifact fails at once, naming the artifact', async () => {
  // A 4xx is not retried; a 5xx (or a body that is not JSON) is, five times with backoff from 3 s.
  results.failCreate({ status: 403, body: { code: 'permission_denied', msg: 'token lacks the scope' } });
  await expect(uploadBackupArtifact({ name: 'prod-backup', files, logger: silentLogger })).rejects.toThrow(
    /^cannot upload the backup as artifact prod-backup: .*\(403\).*token lacks the scope/,
  );
  const creates = results.requests.filter((request) => request.url.endsWith('/CreateArtifact'));
  expect(creates).toHaveLength(1);
});

test('a name the service would refuse fails before anything is sent', async () => {
  await expect(uploadBackupArtifact({ name: 'prod/backup', files, logger: silentLogger })).rejects.toThrow(
    /^cannot upload the backup as artifact prod\/backup: /,
  );
  expect(results.requests).toEqual([]);
});
