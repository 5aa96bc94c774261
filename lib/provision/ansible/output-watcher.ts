// Reads ansible-playbook's default output as it streams by, to name what failed: the
// last "TASK [name]" header and each "fatal: [host]: FAILED! => {json}" (or UNREACHABLE,
// or a loop item's "failed: [host] (item=...) => {json}") under it.

export interface TaskFailure {
  task: string;
  host: string;
  /** FAILED or UNREACHABLE. */
  kind: string;
  /** The result's msg (and stderr, when it has one), or the raw text after "=>". */
  message: string;
}

const TASK_HEADER = /^(?:TASK|RUNNING HANDLER) \[(.+?)\]/;
const FAILURE = /^(?:fatal|failed): \[([^\]]+)\](?::| \(item=.*?\)) (?:(FAILED|UNREACHABLE)! )?=> (.*)$/;

export class AnsibleOutputWatcher {
  private task = '';
  readonly failures: TaskFailure[] = [];

  push(line: string): void {
    const header = TASK_HEADER.exec(line);
    if (header) {
      this.task = header[1]!;
      return;
    }
    const failure = FAILURE.exec(line);
    if (failure) this.failures.push({ task: this.task, host: failure[1]!, kind: failure[2] ?? 'FAILED', message: resultMessage(failure[3]!) });
  }
}

function resultMessage(text: string): string {
  let result: unknown;
  try {
    result = JSON.parse(text);
  } catch {
    return text.trim();
  }
  if (typeof result !== 'object' || result === null) return text.trim();
  const r = result as Record<string, unknown>;
  const parts = [r.msg, r.stderr].filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim());
  return [...new Set(parts)].join(': ') || text.trim();
}
