// The guest's phases, read from its serial console with the time each line arrived
// (stamped-lines.ts): kernel start, init, systemd, cloud-init's stages, the fixture
// installer's markers, reboot and power-off. Pure: lines in, events and spans out, so
// two tools' builds of the same guest compare phase by phase.
import type { StampedLine } from './stamped-lines.js';

export interface GuestEvent {
  /** The marker's name, with the boot it happened in from the second boot on: "init (boot 2)". */
  key: string;
  ms: number;
}

export interface Span {
  label: string;
  ms: number;
}

/** What the guest prints at each phase; the first line that matches marks it (once per boot). */
export const GUEST_MARKERS: readonly { name: string; pattern: RegExp }[] = [
  { name: 'kernel', pattern: /Linux version \d/ },
  { name: 'init', pattern: /Run \/(?:s?bin\/)?init as init process/ },
  { name: 'systemd', pattern: /systemd\[1\]: systemd \d+\S* running|Welcome to .+!/ },
  { name: 'cloud-init init-local', pattern: /Cloud-init v\. \S+ running 'init-local'/ },
  { name: 'cloud-init init', pattern: /Cloud-init v\. \S+ running 'init'/ },
  { name: 'cloud-init modules:config', pattern: /Cloud-init v\. \S+ running 'modules:config'/ },
  { name: 'cloud-init modules:final', pattern: /Cloud-init v\. \S+ running 'modules:final'/ },
  { name: 'cloud-init finished', pattern: /Cloud-init v\. \S+ finished at/ },
  { name: 'sshd up', pattern: /KILN-FIXTURE: installed system up|Started ssh\.service|Started OpenBSD Secure Shell server/ },
  // The test installer's own markers (fixtures/README.md).
  { name: 'installer', pattern: /^KILN-FIXTURE-CMDLINE: / },
  { name: 'install complete', pattern: /^KILN-FIXTURE: install complete/ },
  { name: 'shutting down', pattern: /^KILN-FIXTURE: shutting down|systemd-shutdown\[1\]: Syncing filesystems/ },
  { name: 'reboot', pattern: /reboot: Restarting system/ },
  { name: 'power-off', pattern: /reboot: Power down/ },
];

/** The guest's events in the order they happened; a new boot starts at each kernel start. */
export function guestEvents(lines: readonly StampedLine[]): GuestEvent[] {
  const events: GuestEvent[] = [];
  const seen = new Set<string>();
  let boot = 0;
  for (const line of lines) {
    // The kernel's own lines carry "[   1.234567] " before the message.
    const text = line.text.replace(/^\[\s*\d+\.\d+\] /, '');
    for (const marker of GUEST_MARKERS) {
      if (!marker.pattern.test(text)) continue;
      if (marker.name === 'kernel') boot += 1;
      const key = boot > 1 ? `${marker.name} (boot ${boot})` : marker.name;
      if (seen.has(key)) continue;
      seen.add(key);
      events.push({ key, ms: line.ms });
    }
  }
  return events;
}

export interface PhaseRow {
  label: string;
  kiln?: number;
  packer?: number;
}

/**
 * Side by side: the spans between consecutive events both guests printed, in the order
 * kiln's did (an event only one printed would make its spans incomparable, so it only
 * lengthens the span around it). `start` is the VM's start on each side, where known.
 */
export function phaseRows(kiln: readonly GuestEvent[], packer?: readonly GuestEvent[]): PhaseRow[] {
  const common = packer ? kiln.filter((e) => packer.some((p) => p.key === e.key)) : [...kiln];
  const at = (events: readonly GuestEvent[] | undefined, key: string) => events?.find((e) => e.key === key)?.ms;
  const rows: PhaseRow[] = [];
  for (let i = 1; i < common.length; i++) {
    const from = common[i - 1]!.key;
    const to = common[i]!.key;
    const kilnFrom = at(kiln, from);
    const kilnTo = at(kiln, to);
    const packerFrom = at(packer, from);
    const packerTo = at(packer, to);
    rows.push({
      label: `${from} → ${to}`,
      ...(kilnFrom !== undefined && kilnTo !== undefined ? { kiln: kilnTo - kilnFrom } : {}),
      ...(packerFrom !== undefined && packerTo !== undefined ? { packer: packerTo - packerFrom } : {}),
    });
  }
  return rows;
}

/** Keys one side printed and the other did not (their time is inside a neighbouring row). */
export function unmatchedEvents(kiln: readonly GuestEvent[], packer: readonly GuestEvent[]): { kilnOnly: string[]; packerOnly: string[] } {
  const keys = (events: readonly GuestEvent[]) => new Set(events.map((e) => e.key));
  const k = keys(kiln);
  const p = keys(packer);
  return { kilnOnly: [...k].filter((key) => !p.has(key)), packerOnly: [...p].filter((key) => !k.has(key)) };
}
