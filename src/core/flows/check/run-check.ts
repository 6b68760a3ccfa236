import { bookkeepingTables } from '../../parts/migrations/bookkeeping-tables.ts';
import { resolve } from 'node:path';
import { readKyselyCtlSettings } from '../../parts/migrations/kysely-config.ts';
import { dialectOfUrl } from '../../parts/database/connection-url.ts';
import type { DialectName } from '../../model/dialect.ts';
import type { Logger } from '../../model/logger.ts';
import { changedMigrations } from '../../parts/migrations/changed-migrations.ts';
import { loadMigrations } from '../../parts/migrations/load-migrations.ts';
import { mentionedExtensions } from '../../parts/migrations/mentioned-extensions.ts';
import { StatementRecorder } from '../../parts/plan/statement-recorder.ts';
import { createChangeTracker, createSnapshotter } from '../../parts/schema/create-snapshotter.ts';
import { inspectTarget } from '../../parts/target/inspect-target.ts';
import type { ThrowawayEnvironment } from '../../parts/throwaway/open-throwaway.ts';
import { openThrowaway } from '../../parts/throwaway/open-throwaway.ts';
import type { ThrowawayDatabase, ThrowawayKind } from '../../parts/throwaway/throwaway.ts';
import { containerImage } from '../../parts/throwaway/container-throwaway.ts';
import type { StateCache } from '../../parts/throwaway/state-cache.ts';
import { stateCacheFolder, stateCacheIn } from '../../parts/throwaway/state-cache.ts';
import { engineVersionOf, officialImage } from '../../parts/database/engine-version.ts';
import type { EngineVersion, ProofEngine } from '../../model/engine-version.ts';
import { readTargetEngine } from '../../parts/target/target-engine.ts';
import { proveMigrations as prove } from '../../parts/proof/prove.ts';
import type { CheckResult, ProofMode } from '../../model/check-result.ts';
import type { HistoryProblem } from '../../model/history-problem.ts';
import type { MigrationResult } from '../../model/migration-result.ts';
import type { RiskSettings } from '../../model/risk-settings.ts';
import type { RowCountSettings } from '../../parts/target/row-count-settings.ts';
import { readProjectConfig } from '../../parts/options/project-config.ts';
import { loadUserSeed } from '../../parts/rows/user-seed.ts';
import { optional } from '../../model/optional.ts';

/**
 * Bookkeeping tables left out of every snapshot: Kysely's two, and the checksums `apply`
 * keeps beside them (a target applied by this tool must not drift by its own side table).
 */
export const DEFAULT_MIGRATION_TABLES: readonly string[] = bookkeepingTables();

/** Everything `check` needs; both shells build one of these from their inputs. */
export interface CheckRequest {
  /** Folder or index module; when absent, kysely-ctl's configuration, else `./migrations`. */
  /** An empty migrations folder passes instead of failing. */
  readonly allowEmpty?: boolean;
  readonly migrations?: string;
  /** When absent: kysely-ctl's configuration, the server URL's scheme, else postgres. */
  readonly dialect?: DialectName;
  readonly throwaway: ThrowawayKind;
  readonly serverUrl?: string;
  readonly image?: string;
  readonly mode: ProofMode;
  /** Prove only migrations added since this git ref; replay the others once. */
  readonly base?: string;
  readonly cwd: string;
  /** Tables left out of snapshots (defaults to Kysely's two). */
  readonly migrationTables?: readonly string[];
  /** A database to read (never change) after the proof: pending migrations and drift. */
  readonly targetUrl?: string;
  /** Bounds on counting the target's rows (timeout, sampling); defaults otherwise. */
  readonly targetRowCounts?: Partial<RowCountSettings>;
  readonly logger: Logger;
  readonly onResult?: (result: MigrationResult) => void;
  readonly environment?: ThrowawayEnvironment;
  /** The project's rule settings; when absent, read from migration-gate.config.json in `cwd`. */
  readonly riskSettings?: RiskSettings;
  /** The data-aware proof: rows in the tables before each migration under proof (default true). */
  readonly seedRows?: boolean;
  /** Restore the merged history's state from the cache folder instead of replaying it (default true). */
  readonly mergedCache?: boolean;
  /**
   * The project's own rows (a .sql file, a module exporting seed(db), or a folder), from `cwd`;
   * when absent, `seed` of migration-gate.config.json, else kysely-ctl's seeds.seedFolder.
   */
  readonly seed?: string;
}

/** Loads the migrations, opens a throwaway database and proves them. */
export async function runCheck(request: CheckRequest): Promise<CheckResult> {
  const settings = await readKyselyCtlSettings(request.cwd);
  const migrationsPath = resolve(
    request.cwd,
    request.migrations ?? settings?.migrationFolder ?? 'migrations',
  );
  const dialect =
    request.dialect ??
    settings?.dialect ??
    (request.serverUrl === undefined ? undefined : dialectOfUrl(request.serverUrl)) ??
    (request.targetUrl === undefined ? undefined : dialectOfUrl(request.targetUrl)) ??
    dialectOfImage(request.image) ??
    'postgres';
  const migrations = await loadMigrations({
    path: migrationsPath,
    dialect,
    allowEmpty: request.allowEmpty ?? false,
  });
  const project = await readProjectConfig(request.cwd);
  const seedPath =
    request.seed === undefined ? (project.seed ?? settings?.seedFolder) : resolve(request.cwd, request.seed);
  const userSeed = seedPath === undefined ? undefined : await loadUserSeed(seedPath, dialect);
  const changes =
    request.base === undefined
      ? undefined
      : await changedMigrations({ base: request.base, migrations, path: migrationsPath, cwd: request.cwd });
  const underProof = changes?.added;
  request.logger.info(
    `${migrations.length} migration(s) in ${migrationsPath}` +
      (underProof === undefined ? '' : `, ${underProof.size} new since ${request.base}`),
  );
  const targetEngine =
    request.targetUrl === undefined ? undefined : await readTargetEngine(request.targetUrl);
  const image = request.image ?? imageOfTarget(request.throwaway, dialect, targetEngine);
  const tracker = createChangeTracker(dialect);
  const recorder = new StatementRecorder();
  await using throwaway = await openThrowaway(
    request.throwaway,
    {
      dialect,
      logger: request.logger,
      log: (event) => {
        tracker.observe(event.query.sql);
        recorder.observe(event);
      },
      ...(request.serverUrl === undefined ? {} : { serverUrl: request.serverUrl }),
      ...(image === undefined ? {} : { image }),
      // Only the embedded engine needs them (PGlite loads extensions at start); reading every
      // source again costs a server throwaway time for nothing.
      extensions:
        dialect === 'postgres' && request.throwaway !== 'server' && request.throwaway !== 'container'
          ? await mentionedExtensions(migrations)
          : [],
    },
    ...(request.environment === undefined ? [] : [request.environment]),
  );
  request.logger.info(`throwaway database: ${throwaway.description}`);
  const excludeTables = request.migrationTables ?? DEFAULT_MIGRATION_TABLES;
  const proof = await prove({
    migrations,
    throwaway,
    snapshotter: createSnapshotter(dialect),
    tracker,
    recorder,
    excludeTables,
    isUnderProof: (migration) => underProof === undefined || underProof.has(migration.name),
    logger: request.logger,
    cwd: request.cwd,
    mode: request.mode,
    riskSettings: request.riskSettings ?? project,
    seedRows: request.seedRows ?? true,
    ...optional('mergedCache', request.mergedCache === false ? undefined : mergedStateCache()),
    ...optional('userSeed', userSeed),
    ...(request.onResult === undefined ? {} : { onResult: request.onResult }),
  });
  const proven = changes === undefined ? proof : withHistoryProblems(proof, changes.problems);
  const result: CheckResult = {
    ...proven,
    provenOn: proofEngineOf(
      throwaway,
      containerImage({ dialect, ...(image === undefined ? {} : { image }) }),
    ),
    ...(targetEngine === undefined ? {} : { targetEngine }),
  };
  if (request.targetUrl === undefined) return result;
  const target = await inspectTarget({
    targetUrl: request.targetUrl,
    migrations,
    throwaway,
    excludeTables,
    results: result.migrations,
    ...(request.targetRowCounts === undefined ? {} : { rowCounts: request.targetRowCounts }),
    ...(request.migrationTables?.[0] === undefined ? {} : { migrationTable: request.migrationTables[0] }),
    logger: request.logger,
  });
  return { ...result, target };
}

/** The cache of merged states in the cache folder, when there is one. */
function mergedStateCache(): StateCache | undefined {
  const folder = stateCacheFolder();
  return folder === undefined ? undefined : stateCacheIn(folder);
}

/** The proof with how the change set edits the merged history; any problem fails the gate. */
function withHistoryProblems(result: CheckResult, problems: readonly HistoryProblem[]): CheckResult {
  return { ...result, ok: result.ok && problems.length === 0, historyProblems: problems };
}

/**
 * The official image of the target's engine and release, when the throwaway may be a container
 * and no image was given: the proof then runs on the version the user runs.
 */
function imageOfTarget(
  kind: ThrowawayKind,
  dialect: DialectName,
  target: EngineVersion | undefined,
): string | undefined {
  if (target === undefined || (kind !== 'auto' && kind !== 'container')) return undefined;
  // A target of the other dialect is refused later, by the target inspection.
  if ((target.family === 'postgres') !== (dialect === 'postgres')) return undefined;
  return officialImage(target.family, target.version);
}

/** The engine that proved the check, read from the throwaway itself. */
function proofEngineOf(throwaway: ThrowawayDatabase, image: string): ProofEngine {
  const engine = engineVersionOf(throwaway.dialect, throwaway.serverVersion);
  if (throwaway.kind === 'container') return { ...engine, image };
  return throwaway.kind === 'embedded' ? { ...engine, embedded: true } : engine;
}

function dialectOfImage(image: string | undefined): DialectName | undefined {
  if (image === undefined) return undefined;
  if (/postgres|postgis|pg/i.test(image)) return 'postgres';
  if (/mysql|mariadb|percona/i.test(image)) return 'mysql';
  return undefined;
}
