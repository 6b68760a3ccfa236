/** One way a change set edits the history that Kysely's Migrator would refuse or miss. */
export interface HistoryProblem {
  readonly kind: 'modified' | 'deleted' | 'out-of-order';
  readonly name: string;
  /** The file, relative to the working directory. */
  readonly file: string;
  /** In one sentence, e.g. "0003_x was already merged; write a new migration instead". */
  readonly message: string;
  /** For `out-of-order`: a name that sorts after every merged migration. */
  readonly suggestedName?: string;
}
