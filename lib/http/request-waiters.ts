// Lets the build wait until the guest has fetched a given path (<waitHttp /ks.cfg>,
// or "the installer got its answer file"). Only a completed 2xx response counts.
import { CancelledError, KilnError } from '../errors.js';
import { formatDuration } from '../util/duration.js';
import { normalizePath, type RequestRecord } from './request-log.js';

interface Waiter {
  path: string;
  resolve(record: RequestRecord): void;
  reject(error: Error): void;
}

export interface WaitOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export class RequestWaiters {
  readonly #served = new Map<string, RequestRecord>();
  readonly #waiting = new Set<Waiter>();
  #closed = false;

  /** `requests` is the server's full list, quoted in the timeout message. */
  constructor(
    private readonly requests: readonly RequestRecord[],
    private readonly port: number,
  ) {}

  /** Called for every finished request; `complete` is false when the client hung up midway. */
  served(record: RequestRecord, complete: boolean): void {
    if (!complete || record.status < 200 || record.status > 299 || this.#served.has(record.path)) return;
    this.#served.set(record.path, record);
    for (const waiter of this.#waiting) if (waiter.path === record.path) waiter.resolve(record);
  }

  wait(rawPath: string, options: WaitOptions = {}): Promise<RequestRecord> {
    const path = normalizePath(rawPath);
    const done = this.#served.get(path);
    if (done) return Promise.resolve(done);
    if (this.#closed) return Promise.reject(closedBefore(path));
    const { signal, timeoutMs } = options;
    if (signal?.aborted) return Promise.reject(new CancelledError());

    return new Promise((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#waiting.delete(waiter);
      };
      const waiter: Waiter = {
        path,
        resolve: (record) => (settle(), resolve(record)),
        reject: (error) => (settle(), reject(error)),
      };
      const onAbort = () => waiter.reject(new CancelledError());
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => waiter.reject(this.#timeout(path, timeoutMs)), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.add(waiter);
    });
  }

  /** Rejects everything still waiting, and every later wait for a path not yet served. */
  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiting) waiter.reject(closedBefore(waiter.path));
  }

  #timeout(path: string, ms: number): KilnError {
    const seen = [...new Map(this.requests.map((r) => [`${r.path} (${r.status})`, true])).keys()];
    const shown = seen.length > 20 ? [...seen.slice(0, 20), `and ${seen.length - 20} more`] : seen;
    return new KilnError(
      'E_BOOT',
      `the guest did not fetch ${path} from the HTTP server within ${formatDuration(ms)}; ` +
        (seen.length ? `it requested: ${shown.join(', ')}` : 'it made no request at all'),
      {
        hint:
          `the boot command should point the guest at http://{{ .HTTPIP }}:{{ .HTTPPort }}${path} (port ${this.port} this time): ` +
          'check it, and watch the console for the installer failing before it gets there; http.log lists every request',
      },
    );
  }
}

const closedBefore = (path: string) =>
  new KilnError('E_HTTP', `the HTTP server was closed before the guest fetched ${path}`);
