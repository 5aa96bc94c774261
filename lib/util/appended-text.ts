// Reads what another process appends to a file (QEMU's serial.log), a chunk at a time
// from where the last read stopped, decoded as UTF-8 across chunk boundaries. The one
// reader of growing logs: the --console follower and <waitSerial> both use it.
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

const CHUNK = 64 * 1024;

export class AppendedText {
  private offset: number;
  private readonly decoder = new StringDecoder('utf8');

  /** `from`: the byte offset to start at (default 0, the whole file). */
  constructor(
    private readonly path: string,
    from = 0,
  ) {
    this.offset = from;
  }

  /** The text added since the last call; '' while the file does not exist or has not grown. */
  async read(): Promise<string> {
    const handle = await open(this.path, 'r').catch(() => undefined);
    if (!handle) return '';
    let text = '';
    try {
      const buffer = Buffer.alloc(CHUNK);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        text += this.decoder.write(buffer.subarray(0, bytesRead));
      }
    } finally {
      await handle.close();
    }
    return text;
  }

  /** An incomplete UTF-8 sequence left at the end, once nothing more will come. */
  end(): string {
    return this.decoder.end();
  }
}
