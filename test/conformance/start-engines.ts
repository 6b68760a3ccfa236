import type { TestProject } from 'vitest/node';
import { dockerAnswers } from '../../src/core/parts/throwaway/docker-ping.ts';
import { startContainerEngines } from '../support/container-engines.ts';

/**
 * The conformance project's global setup: starts PostgreSQL 17 and 18, MariaDB 11.8 and MySQL
 * 9.7 once for the whole run and hands their root URLs to the test files (test/support/engines.ts
 * injects them). Without Docker the engines are reported missing, and the test files skip them,
 * or fail in CI.
 */
export default async function startEngines(project: TestProject): Promise<() => Promise<void>> {
  if (!(await dockerAnswers())) {
    project.provide(
      'containerEnginesMissing',
      'no Docker engine answers (bash test/docker/prepare.sh starts one)',
    );
    return async () => {};
  }
  // Without a Ryuk of their own: the CLI runs of the main project would otherwise join this
  // one, which lives as long as the whole run, and a killed run's container would wait for the
  // end of the run to be reaped. The teardown below stops these containers.
  process.env['TESTCONTAINERS_RYUK_DISABLED'] = 'true';
  let engines: Awaited<ReturnType<typeof startContainerEngines>>;
  try {
    engines = await startContainerEngines();
  } finally {
    delete process.env['TESTCONTAINERS_RYUK_DISABLED'];
  }
  project.provide('containerEngineUrls', engines.urls);
  if (engines.failures.length > 0) project.provide('containerEnginesMissing', engines.failures.join('; '));
  return async () => {
    await engines[Symbol.asyncDispose]();
  };
}
