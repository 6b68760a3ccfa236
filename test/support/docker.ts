import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe } from 'vitest';
import { dockerAnswers } from '../../src/core/parts/throwaway/docker-ping.ts';
import { IMAGE_MIRROR_VARIABLE } from '../../src/core/parts/throwaway/image-mirror.ts';
import type { ContainerEngine, TestEngine } from './engine-list.ts';
import { ENGINE_TITLES } from './engine-list.ts';

const run = promisify(execFile);

/**
 * The images the container suites start. The defaults are the official images a laptop with
 * Docker and a registry pulls; where no registry is reachable, test/docker/build-images.sh
 * builds local stand-ins and .ci/run points these variables at them.
 */
export const CONTAINER_IMAGES = {
  postgres: process.env['MIGRATION_GATE_TEST_POSTGRES_IMAGE'] ?? 'postgres:16-alpine',
  mariadb: process.env['MIGRATION_GATE_TEST_MARIADB_IMAGE'] ?? 'mariadb:10.11',
  postgres17: process.env['MIGRATION_GATE_TEST_POSTGRES17_IMAGE'] ?? 'postgres:17',
  postgres18: process.env['MIGRATION_GATE_TEST_POSTGRES18_IMAGE'] ?? 'postgres:18',
  mariadb11: process.env['MIGRATION_GATE_TEST_MARIADB11_IMAGE'] ?? 'mariadb:11.8',
  mysql: process.env['MIGRATION_GATE_TEST_MYSQL_IMAGE'] ?? 'mysql:9.7',
} as const;

/** The official image the tool chooses for a server of each container engine, by its engine and release. */
export const OFFICIAL_IMAGES: Readonly<Record<ContainerEngine, string>> = {
  postgres17: 'postgres:17',
  postgres18: 'postgres:18',
  mariadb11: 'mariadb:11.8',
  // MySQL 9.7 here, also 8.4 in CI's matrix (see ENGINE_TITLES).
  mysql: `mysql:${ENGINE_TITLES.mysql.split(' ')[1]}`,
};

/**
 * The environment a CLI run against `engine` needs to start the official image of its release
 * (a backup program, a throwaway) where that cannot be pulled: the engine's own image in its
 * place. Empty for the primary engines, whose local clients fit.
 */
export function imageMirrorEnv(engine: TestEngine): NodeJS.ProcessEnv {
  if (!(engine in OFFICIAL_IMAGES)) return {};
  const container = engine as ContainerEngine;
  return { [IMAGE_MIRROR_VARIABLE]: `${OFFICIAL_IMAGES[container]}=${CONTAINER_IMAGES[container]}` };
}

const dockerMissing = (await dockerAnswers())
  ? undefined
  : 'no Docker engine answers (sudo bash test/docker/ensure-engine.sh starts one)';

/**
 * `describe` for suites that start containers. Without Docker they are skipped with the
 * reason on a laptop; in CI (CI=true) that is a failure, so a green CI never hides them.
 */
export function describeWithDocker(name: string, body: () => void): void {
  if (dockerMissing !== undefined && process.env['CI'] === 'true') {
    throw new Error(`the container suites are required in CI, but ${dockerMissing}`);
  }
  if (dockerMissing !== undefined) console.warn(`skipping "${name}": ${dockerMissing}`);
  describe.skipIf(dockerMissing !== undefined)(name, body);
}

/** The container id (12 characters) a CLI run printed when its container came up. */
export function containerIdIn(stderr: string): string {
  const id = /^container ([0-9a-f]{12}) is up$/m.exec(stderr)?.[1];
  if (id === undefined) throw new Error(`no "container ... is up" line in:\n${stderr}`);
  return id;
}

/** Whether a container with this id exists, running or not (`docker ps -a`). */
export async function containerExists(id: string): Promise<boolean> {
  const { stdout } = await run('docker', ['ps', '--all', '--quiet', '--no-trunc', '--filter', `id=${id}`]);
  return stdout.trim() !== '';
}

/** The published ports of a container as `docker port` prints them. */
export async function publishedPorts(id: string): Promise<string[]> {
  const { stdout } = await run('docker', ['port', id]);
  return stdout.split('\n').filter((line) => line !== '');
}
