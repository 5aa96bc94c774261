// The decision behind `boot.wait: auto`: the boot loader is ready for keys once its
// screen has stopped changing. Pure: frames and times in, "settled" out.
import { diffFrames, isBlank, isNoise } from './frame-diff.js';
import type { Frame } from './frame.js';

export interface SettleOptions {
  /** How long the screen must stay the same. */
  settleMs: number;
}

export class ScreenSettler {
  private reference?: { frame: Frame; since: number };

  constructor(private readonly options: SettleOptions) {}

  /**
   * Feeds the frame captured at `now` (ms, any monotonic clock); true once the screen
   * has shown the same picture (give or take a cursor) for settleMs. Each frame is
   * compared with the first of the still period, not the previous frame, so text
   * appearing a character at a time still counts as change.
   */
  observe(frame: Frame, now: number): boolean {
    if (isBlank(frame)) {
      this.reference = undefined;
      return false;
    }
    if (!this.reference || !isNoise(diffFrames(this.reference.frame, frame))) {
      this.reference = { frame, since: now };
      return false;
    }
    return now - this.reference.since >= this.options.settleMs;
  }
}
