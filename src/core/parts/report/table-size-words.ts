import type { TargetTableSize } from '../../model/target-rows.ts';
import { formatBytes } from '../target/table-sizes.ts';

/**
 * A table's size on the target in words, e.g. `users: about 12,345 rows, 2.1 MB, changed by
 * 0042_x; 0.1 s to rewrite or index (table-rewrite in 0042_x: 2.1 MB at an assumed 40 MB/s)`.
 */
export function tableSizeWords(size: TargetTableSize): string {
  const rows =
    size.rows === undefined
      ? 'rows not estimated (never analyzed)'
      : `about ${size.rows.toLocaleString('en-US')} ${size.rows === 1 ? 'row' : 'rows'}`;
  const estimate =
    size.estimate === undefined
      ? ''
      : `; ${formatSeconds(size.estimate.seconds)} to rewrite or index (${size.estimate.because})`;
  return `${size.table}: ${rows}, ${formatBytes(size.bytes)}, changed by ${size.migrations.join(', ')}${estimate}`;
}

function formatSeconds(seconds: number): string {
  if (seconds < 0.1) return 'under 0.1 s';
  if (seconds < 120) return `${Number(seconds.toPrecision(2))} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 360) / 10} h`;
}
