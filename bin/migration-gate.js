#!/usr/bin/env node
// Built by `npm run build` (run on install by the prepare script).
import { readFileSync } from 'node:fs';

// Checked before the CLI loads: on an older Node it would fail deep inside a dependency, with a
// stack trace that does not say why. The version it needs is package.json's `engines.node`.
const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const needed = Number(/\d+/.exec(engines.node)[0]);
const found = process.versions.node;
if (Number(found.split('.')[0]) < needed) {
  process.stderr.write(
    `error: migration-gate needs Node.js ${needed} or newer; this is Node.js ${found} (${process.execPath})\n`,
  );
  process.exit(2);
}
await import('../lib/cli/main.js');
