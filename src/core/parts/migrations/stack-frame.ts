import { fileURLToPath } from 'node:url';

/** A stack frame's position in a source file. */
export interface FramePosition {
  readonly file: string;
  readonly line: number;
}

// V8 frames: "    at fn (/abs/file.ts:12:5)" or "    at /abs/file.ts:12:5", paths sometimes as file:// URLs.
const FRAME = /^\s*at (?:.*?\()?(.+?):(\d+):\d+\)?$/;

/** The first (innermost) stack frame that runs code from one of `files` (absolute paths). */
export function frameInFiles(stack: string | undefined, files: readonly string[]): FramePosition | undefined {
  for (const frameLine of stack?.split('\n') ?? []) {
    const match = FRAME.exec(frameLine);
    const file = match ? toPath(match[1]!) : undefined;
    if (file !== undefined && files.includes(file)) return { file, line: Number(match![2]) };
  }
  return undefined;
}

function toPath(location: string): string {
  if (!location.startsWith('file://')) return location;
  try {
    return fileURLToPath(location);
  } catch {
    return location;
  }
}
