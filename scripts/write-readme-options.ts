// Rewrites the README's option tables from the option catalogue: run it after changing an option
// (node scripts/write-readme-options.ts), then commit the README.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withOptionTables } from './readme-options.ts';

const readme = join(import.meta.dirname, '..', 'README.md');
await writeFile(readme, withOptionTables(await readFile(readme, 'utf8')));
