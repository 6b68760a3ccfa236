/** An applied migration whose file no longer is what was applied. */
export interface ChecksumMismatch {
  readonly name: string;
  /** What changed: the source, the SQL it emits, or the file is gone. */
  readonly changed: readonly ('source' | 'emitted-sql' | 'missing-file')[];
  /** In one sentence. */
  readonly message: string;
}
