import type { BackupRecord } from '../../model/backup-record.ts';
import type { ConnectionTarget } from '../database/connection-url.ts';

/**
 * Takes a verified backup of the target before its first change; undefined means no verified
 * backup, and then nothing is changed. Injected so apply and rollback need not know how.
 */
export type BackupStep = (target: ConnectionTarget) => Promise<BackupRecord | undefined>;

/** A backup step, or `none`, said explicitly: changing a target without a backup is a choice. */
export type BackupChoice = BackupStep | 'none';
