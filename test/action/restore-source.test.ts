import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { getOctokit } from '@actions/github';
import yazl from 'yazl';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { resolveRestoreSource } from '../../src/action/restore-source.ts';
import type { RestoreSourceOptions } from '../../src/action/restore-source.ts';
import { UsageError, messageOf } from '../../src/core/model/errors.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import { startFakeGitHub } from './fake-github.ts';
import type { FakeGitHub } from './fake-github.ts';

const BACKUP = 'app-20250101T000000Z.sql';
const MANIFEST = `${BACKUP}.manifest.json`;

/** A zip built in memory, entries in the order given; a name ending in / is a folder. */
async function zipOf(entries: Record<string, string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(entries)) {
    if (name.endsWith('/')) zip.addEmptyDirectory(name);
    else zip.addBuffer(Buffer.from(content), name);
  }
  zip.end();
  return buffer(zip.outputStream);
}

/**
 * A zip holding an entry named `hostile`, which yazl refuses to write: it is written under a
 * stand-in name of the same length, then renamed in the local and central headers.
 */
async function zipWithEntryNamed(hostile: string, content: string): Promise<Buffer> {
  const standIn = 'x'.repeat(hostile.length);
  const zip = await zipOf({ [standIn]: content });
  let at = zip.indexOf(standIn);
  expect(at).toBeGreaterThanOrEqual(0);
  while (at >= 0) {
    zip.write(hostile, at, 'latin1');
    at = zip.indexOf(standIn, at + 1);
  }
  return zip;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

let root: string;
let workingDirectory: string;
let temp: string;
let github: FakeGitHub;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'migration-gate-restore-source-'));
  workingDirectory = join(root, 'repo');
  temp = join(root, 'runner-temp');
  await mkdir(workingDirectory);
  await mkdir(temp);
  github = await startFakeGitHub();
});
afterEach(async () => {
  await github[Symbol.asyncDispose]();
  await rm(root, { recursive: true, force: true });
});

function options(): RestoreSourceOptions {
  return {
    workingDirectory,
    temp,
    logger: silentLogger,
    artifacts: { octokit: getOctokit('ghs_token', { baseUrl: github.url }), owner: 'acme', repo: 'shop' },
  };
}

async function refusal(given: string, use: RestoreSourceOptions = options()): Promise<UsageError> {
  const error = await resolveRestoreSource(given, use).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

describe('the backup the restore input names', () => {
  test('an existing file, relative to the working directory, is used as it is, and GitHub is not asked', async () => {
    await mkdir(join(workingDirectory, 'backups'));
    await writeFile(join(workingDirectory, 'backups', BACKUP), 'backup');

    expect(await resolveRestoreSource(`backups/${BACKUP}`, options())).toBe(
      join(workingDirectory, 'backups', BACKUP),
    );
    expect(github.requests).toEqual([]);
  });

  test('an existing folder is used as it is, even when its name could be an artifact name', async () => {
    await mkdir(join(workingDirectory, 'nightly-backup'));

    expect(await resolveRestoreSource('nightly-backup', options())).toBe(
      join(workingDirectory, 'nightly-backup'),
    );
    expect(github.requests).toEqual([]);
  });

  test('a missing path with a slash is a missing path, not an artifact name', async () => {
    const error = await refusal('backups/nightly.sql');
    expect(error.message).toBe(
      `input restore: no backup at ${join(workingDirectory, 'backups', 'nightly.sql')}`,
    );
    expect(github.requests).toEqual([]);
  });

  test('a name, without a token and repository to look up artifacts, is refused in words', async () => {
    const { artifacts: _artifacts, ...withoutArtifacts } = options();
    const error = await refusal('nightly-backup', withoutArtifacts);
    expect(error.message).toBe(
      `input restore: nightly-backup is not a file under ${workingDirectory}, and without github-token and a repository no artifact can be looked up`,
    );
  });
});

describe('a backup downloaded from a workflow artifact', () => {
  test('the newest unexpired artifact of the name is downloaded and unpacked flat into a new folder under temp', async () => {
    const zip = (label: string) =>
      zipOf({
        'target-1/': '',
        [`target-1/${BACKUP}`]: `${label} backup`,
        [`target-1/${MANIFEST}`]: `{"label":"${label}"}`,
      });
    github.addArtifact('nightly-backup', await zip('older'), { createdAt: '2025-01-01T02:00:00Z' });
    const newest = github.addArtifact('nightly-backup', await zip('newest'), {
      createdAt: '2025-01-03T02:00:00Z',
    });
    github.addArtifact('nightly-backup', await zip('middle'), { createdAt: '2025-01-02T02:00:00Z' });
    github.addArtifact('weekly-backup', await zip('other name'), { createdAt: '2025-01-04T02:00:00Z' });

    const folder = await resolveRestoreSource('nightly-backup', options());

    expect(github.requests.map((request) => request.url)).toContain(
      `/repos/acme/shop/actions/artifacts/${newest}/zip`,
    );
    expect(dirname(dirname(folder))).toBe(temp);
    expect(basename(dirname(folder))).toMatch(/^migration-gate-restore-/);
    expect(await filesUnder(dirname(folder))).toEqual([join(folder, BACKUP), join(folder, MANIFEST)]);
    expect(await readFile(join(folder, BACKUP), 'utf8')).toBe('newest backup');
    expect(await readFile(join(folder, MANIFEST), 'utf8')).toBe('{"label":"newest"}');
    // Production data: readable by the runner's user only.
    for (const file of [BACKUP, MANIFEST]) {
      expect((await stat(join(folder, file))).mode & 0o777).toBe(0o600);
    }
  });

  test('it is looked up by name with the token, and fetched through the redirect to blob storage', async () => {
    const id = github.addArtifact('nightly-backup', await zipOf({ [BACKUP]: 'b', [MANIFEST]: '{}' }));

    await resolveRestoreSource('nightly-backup', options());

    expect(github.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /repos/acme/shop/actions/artifacts?name=nightly-backup&per_page=100',
      `GET /repos/acme/shop/actions/artifacts/${id}/zip`,
      `GET /blob/${id}`,
    ]);
    expect(github.requests[0]?.authorization).toBe('token ghs_token');
  });

  test('expired artifacts are passed over, however new', async () => {
    github.addArtifact('nightly-backup', await zipOf({ [BACKUP]: 'kept', [MANIFEST]: '{}' }), {
      createdAt: '2025-01-01T02:00:00Z',
    });
    github.addArtifact('nightly-backup', await zipOf({ [BACKUP]: 'expired', [MANIFEST]: '{}' }), {
      createdAt: '2025-01-02T02:00:00Z',
      expired: true,
    });

    const folder = await resolveRestoreSource('nightly-backup', options());
    expect(await readFile(join(folder, BACKUP), 'utf8')).toBe('kept');
  });

  test('no unexpired artifact of the name is refused, naming the repository', async () => {
    github.addArtifact('nightly-backup', await zipOf({ [BACKUP]: 'expired', [MANIFEST]: '{}' }), {
      expired: true,
    });
    github.addArtifact('weekly-backup', await zipOf({ [BACKUP]: 'other', [MANIFEST]: '{}' }));

    const error = await refusal('nightly-backup');
    expect(error.message).toBe(
      `input restore: nightly-backup is neither a file under ${workingDirectory} nor an unexpired artifact of acme/shop`,
    );
    expect(await readdir(temp)).toEqual([]);
  });

  test('a zip holding two files of one base name is refused rather than one silently winning', async () => {
    github.addArtifact(
      'nightly-backup',
      await zipOf({
        [`target-1/${BACKUP}`]: 'shard one',
        [`target-1/${MANIFEST}`]: '{}',
        [`target-2/${BACKUP}`]: 'shard two',
        [`target-2/${MANIFEST}`]: '{}',
      }),
    );

    const error = await refusal('nightly-backup');
    expect(error.message).toBe(
      `input restore: cannot download or unpack the artifact nightly-backup: the artifact holds ${BACKUP} twice: cannot tell which to restore`,
    );
  });

  test('an entry naming a path outside the folder is refused, writes nothing outside, and leaves nothing behind', async () => {
    github.addArtifact('nightly-backup', await zipWithEntryNamed('../../evil', 'escaped'));

    // yauzl refuses the entry's name before anything is written; flattening would keep it inside.
    const outcome = await resolveRestoreSource('nightly-backup', options()).then(
      (folder) => ({ folder }),
      (error: unknown) => ({ error: messageOf(error) }),
    );
    expect(outcome).toEqual({
      error:
        'input restore: cannot download or unpack the artifact nightly-backup: invalid relative path: ../../evil',
    });

    const written = await filesUnder(root);
    expect(written.filter((file) => basename(file) === 'evil')).toEqual([]);
    expect(existsSync(join(temp, 'evil'))).toBe(false);
    expect(await readdir(temp)).toEqual([]);
  });
});
