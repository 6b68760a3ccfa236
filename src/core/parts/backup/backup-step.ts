import type { BackupRecord } from '../../model/backup-record.ts';
import type { Logger } from '../../model/logger.ts';
import { optional } from '../../model/optional.ts';
import type { Outcome } from '../../model/outcome.ts';
import type { Refusal } from '../../model/refusal.ts';
import type { ConnectionTarget } from '../database/connection-url.ts';

/**
 * Takes a verified backup of the target before its first change; undefined means no verified
 * backup, and then nothing is changed. Injected so apply and rollback need not know how.
 */
export type BackupStep = ((target: ConnectionTarget) => Promise<BackupRecord | undefined>) & {
  /** What it takes, in words, for a dry run to show (e.g. "a verified backup into ./backups"). */
  readonly description?: string;
};

/** A backup step, or `none`, said explicitly: changing a target without a backup is a choice. */
export type BackupChoice = BackupStep | 'none';

/** What `choice` would take before a change, in words: a dry run's plan shows it. */
export function describeBackupChoice(choice: BackupChoice): string {
  if (choice === 'none') return 'none: backup none was asked for';
  return choice.description ?? 'a verified backup of the target';
}

/**
 * The backup a change waits for: its record (none when `none` was chosen, which is warned
 * about), or the `backup` refusal when no verified backup came. `unchanged` ends the refusal's
 * sentence, e.g. "nothing applied"; restore calls its backup a fresh one, beside the one it puts back.
 */
export async function backupBeforeChange(
  choice: BackupChoice,
  target: ConnectionTarget,
  logger: Logger,
  unchanged: string,
  name = 'backup',
): Promise<Outcome<{ readonly backup?: BackupRecord }, { readonly refusal: Refusal<'backup'> }>> {
  if (choice === 'none') {
    logger.warn(`no ${name} taken: backup none was asked for`);
    return { ok: true };
  }
  const backup = await choice(target);
  if (backup === undefined) {
    const message = `no verified backup of the target: ${unchanged}`;
    return { ok: false, refusal: { reason: 'backup', message, details: [] } };
  }
  return { ok: true, ...optional('backup', backup) };
}
