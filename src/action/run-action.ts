import { redactSecrets } from '../core/parts/database/redaction.ts';
import { UsageError, messageOf } from '../core/model/errors.ts';
import { checkAction } from './check-action.ts';
import { commentAction } from './comment-action.ts';
import { readEventContext } from './event-context.ts';
import { readInputs } from './inputs.ts';
import { repositoryPath } from './repository-path.ts';
import { secretsOf } from './secrets.ts';
import { targetAction } from './target-action.ts';
import type { ActionProps } from './action-props.ts';

/**
 * Runs the action and sets the exit code: 0 passed, 1 the gate failed (see `fail-on`) or a
 * target command was refused or failed, 2 an input, environment or usage error. The one place that catches, and it never loses a
 * non-Error value.
 */
export async function runAction(props: ActionProps): Promise<void> {
  const { core: toolkit, env } = props;
  const workspace = env['GITHUB_WORKSPACE'] || process.cwd();
  try {
    // Masked before anything is validated, so no message can quote them unmasked.
    for (const secret of secretsOf((name) => toolkit.getInput(name))) toolkit.setSecret(secret);
    const inputs = await readInputs((name) => toolkit.getInput(name), workspace);
    const context = await readEventContext(env);
    const failure =
      inputs.command === 'check'
        ? await checkAction(inputs, context, props)
        : inputs.command === 'comment'
          ? await commentAction(inputs, context, props)
          : await targetAction(inputs, context, props);
    if (failure !== undefined) toolkit.setFailed(failure);
  } catch (error) {
    const file = error instanceof UsageError ? error.file : undefined;
    toolkit.error(redactSecrets(messageOf(error)), {
      title: 'migration-gate',
      ...(file === undefined ? {} : { file: repositoryPath(workspace, workspace, file) }),
      ...(error instanceof UsageError && error.line !== undefined ? { startLine: error.line } : {}),
    });
    if (!(error instanceof UsageError) && error instanceof Error && error.stack !== undefined) {
      toolkit.debug(redactSecrets(error.stack));
    }
    process.exitCode = 2;
  }
}
