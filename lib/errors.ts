// Typed errors: library code throws these and never prints or exits.
// The CLI maps them to exit codes (2 invalid input, 1 build failed, 130 interrupted).

export type ErrorCode =
  | 'E_TEMPLATE' // template cannot be read or parsed
  | 'E_INVALID' // template or input failed validation (carries issues)
  | 'E_USAGE' // bad command-line usage
  | 'E_OUTPUT_EXISTS' // output directory exists and --force was not given
  | 'E_OUTPUT_FOREIGN' // --force, but the output directory holds files kiln did not write
  | 'E_SOURCE' // source file missing or unreadable
  | 'E_DOWNLOAD' // network fetch failed
  | 'E_CHECKSUM' // checksum mismatch or unparsable checksum
  | 'E_HTTP' // embedded HTTP server failed
  | 'E_QEMU' // QEMU failed to start or exited unexpectedly
  | 'E_QMP' // QMP protocol error
  | 'E_VBOX' // a VirtualBox VM stopped unexpectedly
  | 'E_BOOT' // typing the boot command failed or a boot wait timed out
  | 'E_SSH_TIMEOUT' // guest never accepted an SSH login
  | 'E_SSH' // SSH session error after login
  | 'E_PROVISION' // a provisioner failed
  | 'E_SHUTDOWN' // guest did not power off
  | 'E_EXPORT' // image conversion failed
  | 'E_POST_PROCESS' // a post-processor (checksum, manifest, shell-local) failed
  | 'E_TOOL' // an external tool is missing or failed
  | 'E_PUBLISH_INPUT' // kiln publish: the build output has no manifest or box, or the box does not match it
  | 'E_CATALOG' // kiln publish: the catalog's metadata.json cannot be read, or is another box's
  | 'E_CATALOG_EXISTS' // kiln publish: the version already has this provider and architecture, and --force was not given
  | 'E_PUBLISH' // kiln publish: writing into the catalog failed
  | 'E_REGISTRY' // an OCI registry refused a request or could not be reached
  | 'E_PACKAGE_CACHE' // the guest's package cache could not answer a request (--offline: not recorded)
  | 'E_BUNDLE' // kiln bundle: an archive is corrupt, or what it should hold is missing
  | 'E_CANCELLED'; // Ctrl-C / SIGTERM / AbortSignal

export interface KilnErrorOptions {
  cause?: unknown;
  /** One or two sentences telling the user how to fix or debug it. */
  hint?: string;
}

export class KilnError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, options: KilnErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KilnError';
    this.code = code;
    this.hint = options.hint;
  }
}

/** One problem found in a template or answer file; all are reported at once. */
export interface Issue {
  /** Key path in the template, e.g. "provision[1].shell.script" ("" for the root). */
  path: string;
  message: string;
  /** 1-based position in the source file, when known. */
  line?: number;
  column?: number;
  /** File the issue is in, when not the template itself. */
  file?: string;
}

export class ValidationError extends KilnError {
  readonly issues: Issue[];
  readonly file?: string;

  constructor(issues: Issue[], file?: string) {
    super('E_INVALID', `${file ?? 'template'}: ${issues.length} problem${issues.length === 1 ? '' : 's'} found`);
    this.name = 'ValidationError';
    this.issues = issues;
    this.file = file;
  }
}

export class CancelledError extends KilnError {
  constructor(reason = 'interrupted') {
    super('E_CANCELLED', `build ${reason}`);
    this.name = 'CancelledError';
  }
}

/** Throws CancelledError if the signal has fired; call between awaits in long loops. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}
