import type * as core from '@actions/core';
import { redactSecrets } from '../core/parts/database/redaction.ts';
import type { Logger } from '../core/model/logger.ts';

/**
 * The engine's progress in the step log. Credentials in URLs are redacted here as well as
 * masked by the runner: the mask only covers the exact strings it was given.
 */
export function actionLogger(toolkit: Pick<typeof core, 'info' | 'warning' | 'debug'>): Logger {
  return {
    info: (message) => toolkit.info(redactSecrets(message)),
    warn: (message) => toolkit.warning(redactSecrets(message)),
    debug: (message) => toolkit.debug(redactSecrets(message)),
  };
}
