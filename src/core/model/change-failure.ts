/**
 * A change to the target that started and did not finish, as apply, rollback and restore
 * report it: what failed, where that left the target, and the way back.
 */
export interface ChangeFailure {
  /** What failed, credentials redacted. */
  readonly message: string;
  /** The state the target is left in, in words. */
  readonly state: string;
  /** The exact command that undoes this run, and what else to do. */
  readonly recovery: string;
}
