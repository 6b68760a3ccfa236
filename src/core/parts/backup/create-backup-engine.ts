import type { DialectName } from '../../model/dialect.ts';
import type { BackupEngine } from './backup-engine.ts';
import { MysqlBackupEngine } from './mysql-backup-engine.ts';
import { PostgresBackupEngine } from './postgres-backup-engine.ts';

/** The backup engine of a dialect. */
export function createBackupEngine(dialect: DialectName): BackupEngine {
  return dialect === 'postgres' ? new PostgresBackupEngine() : new MysqlBackupEngine();
}
