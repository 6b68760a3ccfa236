import { describe, expect, test } from 'vitest';
import type { DialectName } from '../../src/core/model/dialect.ts';
import { UsageError } from '../../src/core/model/errors.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import type { Logger } from '../../src/core/model/logger.ts';
import { resolveThrowawayKind } from '../../src/core/parts/throwaway/open-throwaway.ts';
import type { ThrowawayEnvironment } from '../../src/core/parts/throwaway/open-throwaway.ts';
import type { ThrowawayKind } from '../../src/core/parts/throwaway/throwaway.ts';

/**
 * An environment where Docker answers or not, and has every image unless `imageProblem` says
 * why not; it counts how often it was asked about Docker and about an image.
 */
function docker(
  answers: boolean,
  imageProblem?: string,
): ThrowawayEnvironment & { asked: number; images: string[] } {
  const environment = {
    asked: 0,
    images: [] as string[],
    dockerAnswers: async () => {
      environment.asked += 1;
      return answers;
    },
    imageUnavailable: async (image: string) => {
      environment.images.push(image);
      return imageProblem;
    },
  };
  return environment;
}

/** A logger that keeps its warnings. */
function warnings(): Logger & { warned: string[] } {
  const warned: string[] = [];
  return { ...silentLogger, warn: (message) => warned.push(message), warned };
}

const OFFLINE = 'getaddrinfo ENOTFOUND registry-1.docker.io';

const SERVER_URL = 'postgres://u@127.0.0.1:5432/postgres';

describe('resolveThrowawayKind: what --throwaway auto stands for', () => {
  test('a container when a Docker engine answers, even with a server URL', async () => {
    expect(
      await resolveThrowawayKind('auto', { logger: silentLogger, dialect: 'postgres' }, docker(true)),
    ).toBe('container');
    expect(await resolveThrowawayKind('auto', { logger: silentLogger, dialect: 'mysql' }, docker(true))).toBe(
      'container',
    );
    expect(
      await resolveThrowawayKind(
        'auto',
        { logger: silentLogger, dialect: 'postgres', serverUrl: SERVER_URL },
        docker(true),
      ),
    ).toBe('container');
  });

  test('a scratch database on the server when a URL is given and Docker does not answer', async () => {
    expect(
      await resolveThrowawayKind(
        'auto',
        { logger: silentLogger, dialect: 'postgres', serverUrl: SERVER_URL },
        docker(false),
      ),
    ).toBe('server');
    expect(
      await resolveThrowawayKind(
        'auto',
        { logger: silentLogger, dialect: 'mysql', serverUrl: 'mysql://root@127.0.0.1:3306' },
        docker(false),
      ),
    ).toBe('server');
  });

  test('embedded Postgres without Docker or a URL', async () => {
    expect(
      await resolveThrowawayKind('auto', { logger: silentLogger, dialect: 'postgres' }, docker(false)),
    ).toBe('embedded');
  });

  test('mysql without Docker or a URL is a usage error listing the options', async () => {
    const failure = resolveThrowawayKind('auto', { logger: silentLogger, dialect: 'mysql' }, docker(false));
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow(/no Docker engine answers and no --server-url was given/);
    await expect(failure).rejects.toThrow(/--throwaway container/);
    await expect(failure).rejects.toThrow(/--throwaway server --server-url mysql:\/\//);
  });
});

describe('resolveThrowawayKind: Docker answers, but cannot get the image', () => {
  test('auto falls back as if Docker were absent, with one warning saying why and how to choose', async () => {
    const logger = warnings();
    const environment = docker(true, OFFLINE);
    expect(
      await resolveThrowawayKind(
        'auto',
        { logger, dialect: 'postgres', image: 'postgres:16-alpine' },
        environment,
      ),
    ).toBe('embedded');
    expect(environment.images).toEqual(['postgres:16-alpine']);
    expect(logger.warned).toEqual([
      `Docker answers, but image postgres:16-alpine is neither present nor pullable (${OFFLINE}): ` +
        'the proof runs on embedded PGlite instead; choose with --throwaway container|server|embedded, or --image an image Docker has',
    ]);
  });

  test('auto asks about the default image of the dialect, and takes the server URL when given', async () => {
    const logger = warnings();
    const environment = docker(true, OFFLINE);
    expect(
      await resolveThrowawayKind(
        'auto',
        { logger, dialect: 'mysql', serverUrl: 'mysql://root@127.0.0.1:3306' },
        environment,
      ),
    ).toBe('server');
    expect(environment.images).toEqual(['mysql:8.4']);
    expect(logger.warned[0]).toMatch(/runs on a scratch database on --server-url instead/);
  });

  test('mysql with nothing to fall back on is a usage error that says Docker cannot get the image', async () => {
    const failure = resolveThrowawayKind(
      'auto',
      { logger: silentLogger, dialect: 'mysql' },
      docker(true, OFFLINE),
    );
    await expect(failure).rejects.toThrow(
      /^no throwaway database for mysql: Docker answers, but image mysql:8\.4 is neither present nor pullable and no --server-url was given/,
    );
  });

  test('an explicit container is kept without asking about the image: starting it fails clearly', async () => {
    const environment = docker(true, OFFLINE);
    expect(
      await resolveThrowawayKind('container', { logger: silentLogger, dialect: 'postgres' }, environment),
    ).toBe('container');
    expect(environment.images).toEqual([]);
  });
});

describe('resolveThrowawayKind: an explicit kind is kept', () => {
  const cases: [Exclude<ThrowawayKind, 'auto'>, DialectName][] = [
    ['embedded', 'postgres'],
    ['server', 'postgres'],
    ['server', 'mysql'],
    ['container', 'postgres'],
    ['container', 'mysql'],
  ];
  for (const [kind, dialect] of cases) {
    test(`${kind} for ${dialect}, without asking Docker`, async () => {
      for (const answers of [true, false]) {
        const environment = docker(answers);
        expect(await resolveThrowawayKind(kind, { logger: silentLogger, dialect }, environment)).toBe(kind);
        expect(environment.asked).toBe(0);
      }
    });
  }
});
