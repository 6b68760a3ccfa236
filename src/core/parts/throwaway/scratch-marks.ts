import type { ScratchSighting } from './scratch-staleness.ts';

/**
 * How a server remembers who created each scratch database, so a later run can sweep those
 * whose owner is gone: one class per dialect (`<dialect>-scratch-marks.ts`).
 */
export interface ScratchMarks {
  /** Creates database `name`, marked with this process as its owner. */
  create(name: string): Promise<void>;
  /** Forgets the mark of a database that was just dropped. */
  forget(name: string): Promise<void>;
  /** Every scratch database that carries a mark, with its age and sessions. */
  sightings(): Promise<ScratchSighting[]>;
}
