// Keeps the last lines a long-running process printed, for error messages, without
// holding its whole output in memory.
export class OutputTail {
  private lines: string[] = [];
  private partial = '';

  constructor(private readonly maxLines = 20) {}

  /** Adds a chunk; returns the lines it completed. */
  push(chunk: string): string[] {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    const complete = parts.filter((line) => line.trim() !== '');
    this.lines.push(...complete);
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
    return complete;
  }

  /** The kept lines (and any unfinished one), joined with newlines. */
  text(): string {
    return [...this.lines, this.partial].filter((line) => line.trim() !== '').join('\n').trim();
  }
}
