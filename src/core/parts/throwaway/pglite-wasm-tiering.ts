import { setFlagsFromString } from 'node:v8';

let applied = false;

/**
 * Keeps V8 on its baseline WebAssembly compiler (Liftoff) for the rest of the process, so it
 * does not re-optimise PGlite's Postgres build (a 9 MB module) with TurboFan.
 *
 * Why: on a two-core machine TurboFan's background compilation of the functions a proof makes
 * hot costs about 500 MB of peak RSS (1.0 GB instead of 0.5 GB) and competes with the proof for
 * the CPU; measured on `check` of 5 and of 100 migrations, the run was as fast or faster
 * without it, because migrations are short catalog work, never long enough to repay the
 * optimisation. (PGlite's `initialMemory` cannot go below the 128 MB its module declares, and a
 * smaller `shared_buffers` changed nothing measurable.)
 *
 * The flags are read when a module is compiled, so this must run before the first
 * `PGlite.create` of the process; later calls do nothing. It affects any WebAssembly compiled
 * afterwards in this process, which here is only PGlite. `--liftoff-only` would say the same
 * on the command line, but set at run time V8 ignores it: only the two flags it implies work.
 */
export function keepPgliteOnBaselineCompiler(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString('--no-wasm-dynamic-tiering');
  setFlagsFromString('--no-wasm-tier-up');
}
