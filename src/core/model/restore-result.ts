import type { BackupRecord } from './backup-record.ts';
import type { DialectName } from './dialect.ts';
import type { ChangeFailure } from './change-failure.ts';
import type { Problem } from './outcome.ts';
import type { Refusal } from './refusal.ts';

/**
 * How a restore ended. These words are a public contract (JSON output, action outputs):
 * never rename them.
 */
export type RestoreOutcome = 'restored' | 'refused' | 'failed';

/**
 * Why a restore refused before changing anything: `source` (no backup file, no manifest, an
 * unreadable manifest), `checksum` (the file no longer matches its manifest's sha256), `engine`
 * (a backup of another engine than the target's), `backup` (no verified fresh backup).
 */
export type RestoreRefusalReason = 'source' | 'checksum' | 'engine' | 'backup';

/** A refusal of restore: nothing was taken from or changed on the target. */
export type RestoreRefusal = Refusal<RestoreRefusalReason>;

/**
 * A restore that started changing the target and did not finish. `details` holds the restore
 * program's last words, when it said any; `recovery` the command that puts the fresh backup back.
 */
export interface RestoreFailure extends ChangeFailure, Problem {}

/** The whole outcome of a `restore`. */
export interface RestoreResult {
  readonly ok: boolean;
  readonly outcome: RestoreOutcome;
  readonly dialect: DialectName;
  /** The target, without credentials. */
  readonly database: string;
  /** The backup file restored (or refused), as an absolute path. */
  readonly from: string;
  /** The fresh verified backup of the target, taken before the restore changed it. */
  readonly backup?: BackupRecord;
  /**
   * How the target still differs from the backup after the restore, in words (objects created
   * after the backup stay). Empty when schema and row counts match the backup's manifest.
   */
  readonly differences: readonly string[];
  /** The last applied migration after the run; undefined when none is, or the target was not read. */
  readonly current: string | undefined;
  readonly durationMs: number;
  readonly refusal?: RestoreRefusal;
  readonly failure?: RestoreFailure;
}
