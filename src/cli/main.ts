import { runCli } from './run.ts';
import { processIo } from './io.ts';
import { cleanUpOnSignals } from '../core/parts/throwaway/interrupt-cleanup.ts';
import { catchStrayFaults } from '../core/parts/migrations/late-faults.ts';

// Entry point: everything else lives beside it, so it can be tested without a process.
cleanUpOnSignals();
// What a migration raises once its step has ended is said and fails the run, whenever it comes.
let stray = false;
catchStrayFaults((message) => {
  stray = true;
  process.exitCode = 1;
  processIo.stderr(`error: ${message}`);
});
const code = await runCli(process.argv.slice(2), processIo);
process.exitCode = stray && code === 0 ? 1 : code;
