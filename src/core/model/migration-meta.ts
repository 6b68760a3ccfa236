/**
 * What a migration says about itself beside its code, as Kysera's `MigrationWithMeta` does:
 * shown in the plan, never part of the verdict.
 */
export interface MigrationMeta {
  readonly description?: string;
  /** The author marks it as a breaking change: reports flag its row. */
  readonly breaking?: boolean;
  /** How long its author expects it to take on production, in milliseconds. */
  readonly estimatedDurationMs?: number;
  readonly tags?: readonly string[];
}
