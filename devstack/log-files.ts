/** Reading node log files: the tail for error messages, the part written since a start for retry decisions. */
import { open, readFile, stat } from 'node:fs/promises';

export async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** The text appended to a file since it had `offset` bytes (all of it if the file was rotated meanwhile). */
export async function readSince(path: string, offset: number): Promise<string> {
  try {
    const size = await fileSize(path);
    const start = size >= offset ? offset : 0;
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      return buffer.toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}

export async function tailLines(path: string, count: number): Promise<string[] | undefined> {
  try {
    const lines = (await readFile(path, 'utf8')).split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines.slice(-count);
  } catch {
    return undefined;
  }
}
