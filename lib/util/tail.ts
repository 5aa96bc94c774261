import { open } from 'node:fs/promises';

/** The last `count` non-empty lines of a text file ([] if it does not exist); reads only the end. */
export async function tailLines(path: string, count: number, maxBytes = 64 * 1024): Promise<string[]> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    // Serial consoles emit \r\n and stray control bytes; keep lines readable.
    const lines = buffer
      .toString('utf8')
      .replace(/\r/g, '')
      .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
      .split('\n')
      .filter((l) => l.trim() !== '');
    return lines.slice(-count);
  } finally {
    await handle.close();
  }
}
