import type { Kysely, KyselyPlugin } from 'kysely';
import { isInterrupted } from '../throwaway/interrupt-cleanup.ts';

/**
 * Refuses every statement once a signal is ending the process. Cancelling the running statement
 * does not always fail it (on Oracle MySQL a killed SLEEP returns 1): without this, the
 * migration's next statements would still change the target after the user pressed Ctrl-C.
 */
const REFUSE_ONCE_INTERRUPTED: KyselyPlugin = {
  transformQuery({ node }) {
    if (isInterrupted()) throw new Error('interrupted by a signal: the rest of the migration was not sent');
    return node;
  },
  transformResult: async ({ result }) => result,
};

/** `db` as a migration's body gets it on the target: it sends nothing once interrupted. */
export function stoppingWhenInterrupted(db: Kysely<any>): Kysely<any> {
  return db.withPlugin(REFUSE_ONCE_INTERRUPTED);
}
