import { runCheck } from '../core/flows/check/run-check.ts';
import type { MigrationResult } from '../core/model/migration-result.ts';
import type { Logger } from '../core/model/logger.ts';
import { isInterrupted } from '../core/parts/throwaway/interrupt-cleanup.ts';
import { gateFailure } from '../core/parts/report/gate.ts';
import { renderCheckJson } from '../core/parts/report/json-report.ts';
import { renderCheckMarkdown } from '../core/parts/report/markdown-report.ts';
import {
  historyLines,
  migrationDetails,
  migrationLine,
  migrationSql,
  summaryLine,
  targetLines,
} from '../core/parts/report/text-report.ts';
import { parseCheckArguments } from './args.ts';
import { cliRuleDocs } from './rule-pages.ts';
import type { CliIo } from './io.ts';

/** Runs `check`; returns the exit code: 0 passed, 1 the check failed under `--fail-on`. */
export async function checkCommand(argv: readonly string[], rawIo: CliIo): Promise<number> {
  const io = quietOnceInterrupted(rawIo);
  const args = parseCheckArguments(argv, io.env);
  // Machine-readable and markdown output stays clean on stdout; progress goes beside it.
  const progress = args.format === 'text' ? io.stdout : io.stderr;
  const logger: Logger = {
    info: (message) => io.stderr(message),
    warn: (message) => io.stderr(`warning: ${message}`),
    debug: (message) => {
      if (args.verbose) io.stderr(`debug: ${message}`);
    },
  };
  const printed = new Map<string, string | undefined>();
  const result = await runCheck({
    ...args.request,
    cwd: io.cwd,
    logger,
    onResult: (migration: MigrationResult) => {
      printed.set(migration.name, migration.message);
      const sql = args.showSql && args.format === 'text' ? migrationSql(migration) : [];
      progress([migrationLine(migration), ...migrationDetails(migration, cliRuleDocs), ...sql].join('\n'));
    },
  });
  // The action's step judges the same way (gate.ts): one verdict for both.
  const failure = gateFailure(result, args.failOn);
  const exitCode = failure === undefined ? 0 : 1;
  if (args.format !== 'text') {
    io.stdout(
      args.format === 'json'
        ? renderCheckJson(result, args.failOn)
        : renderCheckMarkdown(result, { failOn: args.failOn }),
    );
    return exitCode;
  }
  // Some explanations need the whole history (a later migration creates the object a down
  // misses), so they arrive after the progress line was printed.
  for (const migration of result.migrations) {
    if (printed.has(migration.name) && printed.get(migration.name) !== migration.message) {
      io.stdout(`hint for ${migration.name}: ${migration.message ?? ''}`);
    }
  }
  for (const replay of result.replayed.filter((r) => r.status === 'error')) {
    io.stdout(`FAIL ${replay.name}  replay of a merged migration failed: ${replay.message ?? ''}`);
  }
  for (const line of historyLines(result.historyProblems ?? [])) io.stdout(line);
  if (result.target !== undefined) for (const line of targetLines(result.target)) io.stdout(line);
  io.stdout('');
  io.stdout(summaryLine(result, args.failOn));
  if (failure !== undefined) io.stderr(`error: ${failure}`);
  return exitCode;
}

/** After SIGINT/SIGTERM the run's remaining failures are noise: say nothing more. */
function quietOnceInterrupted(io: CliIo): CliIo {
  return {
    ...io,
    stdout: (text) => {
      if (!isInterrupted()) io.stdout(text);
    },
    stderr: (text) => {
      if (!isInterrupted()) io.stderr(text);
    },
  };
}
