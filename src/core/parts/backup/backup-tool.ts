import { execFile, spawn } from 'node:child_process';
import type { DialectName } from '../../model/dialect.ts';
import type { ServerFamily } from '../../model/engine-version.ts';
import { officialImage, serverFamily, versionNumbers } from '../database/engine-version.ts';
import { redactSecrets } from '../database/redaction.ts';
import { answeringDockerEndpoint } from '../throwaway/docker-ping.ts';
import type { DockerEndpoint } from '../throwaway/docker-ping.ts';
import { registerInterruptCleanup } from '../throwaway/interrupt-cleanup.ts';
import { machineMirrorImage } from '../throwaway/image-mirror.ts';
import type { BackupToolUse } from '../../model/backup-record.ts';
import { failed } from '../../model/outcome.ts';
import type { Outcome } from '../../model/outcome.ts';

/** The label on every container a dump or restore runs in, so leftovers can be found. */
export const BACKUP_CONTAINER_LABEL = 'migration-gate.backup';

/** What a program is needed for. */
export type ToolRole = 'dump' | 'restore';

/** Where dump and restore programs may run: `auto` prefers a fitting local client. */
export type ToolPlacement = 'auto' | 'local' | 'container';

/** A program chosen to run against one server, locally or inside a container. */
export interface ChosenTool extends BackupToolUse {
  /** Runs the program with `args`; in a container, `io.env` is passed by name only. */
  run(args: readonly string[], io: ToolIo): Promise<ToolExit>;
}

/** Where a program reads and writes. Files are passed as open descriptors, never as text. */
export interface ToolIo {
  /** Extra environment (a password): passed to the child process, never on its command line. */
  readonly env: Readonly<Record<string, string>>;
  /** Values never to show: removed from the program's messages. */
  readonly secrets: readonly string[];
  readonly stdin?: number;
  readonly stdout?: number;
  readonly timeoutMs?: number;
}

/** How a program ended; `stderr` has every URL's credentials and every secret removed. */
export interface ToolExit {
  readonly code: number | null;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** The programs that may do `role` for a family, best first. */
export function toolNames(family: ServerFamily, role: ToolRole): readonly string[] {
  switch (family) {
    case 'postgres':
      return [role === 'dump' ? 'pg_dump' : 'pg_restore'];
    case 'mariadb':
      return role === 'dump' ? ['mariadb-dump', 'mysqldump'] : ['mariadb', 'mysql'];
    case 'mysql':
      return [role === 'dump' ? 'mysqldump' : 'mysql'];
  }
}

/** What a client's `--version` says: its own version and whether it is a MariaDB build. */
export interface ClientVersion {
  readonly version: string;
  readonly mariadb: boolean;
}

/**
 * Reads `pg_dump (PostgreSQL) 15.20 (Debian ...)`, `mariadb-dump  Ver 10.19 Distrib
 * 10.11.19-MariaDB, ...`, `mariadb-dump from 11.8.9-MariaDB, client 10.20 ...` (MariaDB 11),
 * `mysqldump  Ver 8.0.36 for Linux ...`, `mysqldump  Ver 9.7.4-2 for Linux ...`.
 */
export function parseClientVersion(output: string): ClientVersion | undefined {
  const mariadb = /mariadb/i.test(output);
  const version =
    /\(PostgreSQL\)\s+(\d+(?:\.\d+)*)/.exec(output)?.[1] ??
    /Distrib\s+([\d.]+(?:-MariaDB)?)/i.exec(output)?.[1] ??
    /\bfrom\s+([\d.]+-MariaDB)/i.exec(output)?.[1] ??
    /Ver\s+([\d.]+)/.exec(output)?.[1];
  return version === undefined ? undefined : { version, mariadb };
}

function atLeast(have: readonly number[], need: readonly number[]): boolean {
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/**
 * Why a local client does not fit a server, or undefined when it does:
 * - Postgres: pg_dump/pg_restore major must be at least the server's major (pg_dump refuses a
 *   newer server; pg_restore cannot read archives of a newer pg_dump).
 * - MariaDB server: a MariaDB client of at least the server's major.minor.
 * - MySQL server: MySQL's own client (not MariaDB's mysqldump, which trips over MySQL 8's
 *   catalog) of at least the server's major.minor.
 */
export function clientMisfit(
  family: ServerFamily,
  serverVersion: string,
  client: ClientVersion,
): string | undefined {
  const server = versionNumbers(serverVersion);
  const have = versionNumbers(client.version);
  if (family === 'postgres') {
    return atLeast(have, server.slice(0, 1))
      ? undefined
      : `client ${client.version} is older than server major ${server[0]}`;
  }
  const wantMariadb = family === 'mariadb';
  if (client.mariadb !== wantMariadb) {
    return `a ${client.mariadb ? 'MariaDB' : 'MySQL'} client for a ${wantMariadb ? 'MariaDB' : 'MySQL'} server`;
  }
  return atLeast(have, server.slice(0, 2))
    ? undefined
    : `client ${client.version} is older than server ${server.slice(0, 2).join('.')}`;
}

/** How tools are found; injectable for tests. */
export interface ToolEnvironment {
  /** Output of `<name> --version`, or undefined when the program is missing. */
  versionOutput(name: string): Promise<string | undefined>;
  /** The Docker engine that answers, for the container fallback; undefined when none does. */
  dockerEndpoint(): Promise<DockerEndpoint | undefined>;
  /** The image run in place of an official one (see image-mirror.ts); itself when absent. */
  mirrorImage?(image: string): string;
}

/** The machine as it is. */
export const localToolEnvironment: ToolEnvironment = {
  versionOutput: (name) =>
    new Promise((resolve) => {
      execFile(name, ['--version'], { timeout: 10_000 }, (error, stdout) =>
        resolve(error === null ? stdout : undefined),
      );
    }),
  dockerEndpoint: () => answeringDockerEndpoint(),
  mirrorImage: machineMirrorImage,
};

/** Options of {@link chooseTool}. */
export interface ChooseToolOptions {
  readonly placement?: ToolPlacement;
  /** The server's image for the container fallback; defaults to its official image (officialImage). */
  readonly image?: string;
  readonly environment?: ToolEnvironment;
}

/**
 * Picks the program that does `role` against a server of `serverVersion`: the first local
 * client that fits (see {@link clientMisfit}); else, when a Docker engine answers, the same
 * program inside a container of the server's image (`docker run --rm --network host`), which
 * fits by construction. Fails with the reasons in words when neither is possible.
 */
export async function chooseTool(
  dialect: DialectName,
  serverVersion: string,
  role: ToolRole,
  options: ChooseToolOptions = {},
): Promise<Outcome<{ readonly tool: ChosenTool }>> {
  const environment = options.environment ?? localToolEnvironment;
  const placement = options.placement ?? 'auto';
  const family = serverFamily(dialect, serverVersion);
  const names = toolNames(family, role);
  const refusals: string[] = [];
  if (placement !== 'container') {
    for (const name of names) {
      const output = await environment.versionOutput(name);
      const client = output === undefined ? undefined : parseClientVersion(output);
      if (client === undefined) {
        refusals.push(`${name} is not installed`);
        continue;
      }
      const misfit = clientMisfit(family, serverVersion, client);
      if (misfit === undefined) return { ok: true, tool: localTool(name, client.version) };
      refusals.push(`${name} does not fit: ${misfit}`);
    }
    if (placement === 'local')
      return failed(`no local ${role} tool fits the server ${serverVersion}: ${refusals.join('; ')}`);
  }
  const docker = await environment.dockerEndpoint();
  if (docker === undefined) {
    refusals.push('no Docker engine answers for the container fallback');
    return failed(`no ${role} tool fits the server ${serverVersion}: ${refusals.join('; ')}`);
  }
  const image = options.image ?? officialImage(family, serverVersion);
  // MariaDB images before 10.5 only have the mysql* names; 10.5+ have both.
  const oldMariadb = family === 'mariadb' && !atLeast(versionNumbers(serverVersion), [10, 5]);
  const name = (oldMariadb ? names[1] : names[0])!;
  // Named by the image chosen, run as the environment's mirror of it (as the throwaway is).
  const runImage = environment.mirrorImage?.(image) ?? image;
  return { ok: true, tool: containerTool(name, image, runImage, serverVersion, docker) };
}

function localTool(name: string, version: string): ChosenTool {
  return {
    name,
    version,
    where: 'local',
    run: (args, io) => runProgram(name, args, io, { ...process.env, ...io.env }),
  };
}

function containerTool(
  name: string,
  image: string,
  runImage: string,
  serverVersion: string,
  docker: DockerEndpoint,
): ChosenTool {
  return {
    name,
    // The image is the server's own, so its client is the server's version.
    version: serverVersion,
    where: 'container',
    image,
    run: (args, io) => {
      // `-e NAME` without a value: docker copies it from its own environment, so the secret
      // never appears on a command line. Host network: the target is reached as from here.
      const envFlags = Object.keys(io.env).flatMap((key) => ['-e', key]);
      const dockerArgs = [
        'run',
        '--rm',
        '-i',
        '--network',
        'host',
        '--label',
        `${BACKUP_CONTAINER_LABEL}=true`,
        '--entrypoint',
        name,
        ...envFlags,
        runImage,
        ...args,
      ];
      // Pointed at the engine that answered, which may not be the one `docker` finds alone.
      return runProgram('docker', dockerArgs, io, { ...process.env, ...docker.cliEnvironment, ...io.env });
    },
  };
}

const STDERR_LIMIT = 4_000;

function runProgram(
  command: string,
  args: readonly string[],
  io: ToolIo,
  env: NodeJS.ProcessEnv,
): Promise<ToolExit> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env,
      stdio: [io.stdin ?? 'ignore', io.stdout ?? 'ignore', 'pipe'],
    });
    let stderr = '';
    let timedOut = false;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_LIMIT);
    });
    const timer =
      io.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGTERM');
          }, io.timeoutMs);
    // An interrupted run must not leave a dump or restore going on without it: a restore into
    // the target stopped this way rolls back (Postgres) or loads only the scratch database.
    const closed = new Promise<void>((done) => child.once('close', () => done()));
    const unregister = registerInterruptCleanup(async () => {
      child.kill('SIGTERM');
      await closed;
    });
    const finish = (code: number | null, extra = '') => {
      unregister();
      if (timer !== undefined) clearTimeout(timer);
      resolve({ code, stderr: scrub(stderr + extra, io.secrets), timedOut });
    };
    child.on('error', (error) => finish(null, error.message));
    child.on('close', (code) => finish(code));
  });
}

/** Removes URL credentials and the values of `secrets` from a program's messages. */
function scrub(text: string, secrets: readonly string[]): string {
  let clean = redactSecrets(text);
  for (const value of secrets) {
    if (value !== '') clean = clean.split(value).join('***');
  }
  return clean.trim();
}
