import { describe, expect, it } from 'vitest';
import { scratchDatabaseName, withoutScratchNames } from '../../src/core/parts/throwaway/scratch-name.ts';

describe('failure messages', () => {
  it('drop the scratch database name MySQL puts before table names', () => {
    const message = `Table '${scratchDatabaseName()}.invoice_lines' doesn't exist`;
    expect(withoutScratchNames(message)).toBe("Table 'invoice_lines' doesn't exist");
  });

  it('keep names of other databases', () => {
    expect(withoutScratchNames("Table 'billing.invoice_lines' doesn't exist")).toBe(
      "Table 'billing.invoice_lines' doesn't exist",
    );
  });
});
