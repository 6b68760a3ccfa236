import { runCli } from './run.ts';
import { processIo } from './io.ts';
import { cleanUpOnSignals } from '../core/parts/throwaway/interrupt-cleanup.ts';

// Entry point: everything else lives beside it, so it can be tested without a process.
cleanUpOnSignals();
process.exitCode = await runCli(process.argv.slice(2), processIo);
