// While the user is in an interactive session (shell, serial console), the build's
// progress lines must not land in the middle of it: they are held and printed after.

export class OutputGate {
  private held?: (() => void)[];

  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const queued = this.held ?? [];
    this.held = undefined;
    for (const write of queued) write();
  }

  /** Runs `write` now, or once the gate is released. */
  pass(write: () => void): void {
    if (this.held) this.held.push(write);
    else write();
  }
}
