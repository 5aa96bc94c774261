// Whether cloud-init finished configuring the guest, run over SSH once kiln can log in:
// the result cloud-init wrote when it finished (/run/cloud-init/result.json, read by `cat`:
// starting cloud-init's Python to ask takes seconds under emulation), else `cloud-init
// status --wait --format json`, which blocks until it is done. Provisioning right away races
// cloud-init: its config stage restarts sshd when ssh_pwauth changes, and installs
// packages holding the dpkg lock. Pure: the command's output in, a verdict out.
import { KilnError } from '../errors.js';

/** Blocks until cloud-init is done (or failed); JSON since cloud-init 22.1. */
export const CLOUD_INIT_STATUS_COMMAND = 'cloud-init status --wait --format json';
/** Written at the end of cloud-init's last stage of this boot (/run is emptied at each boot). */
export const CLOUD_INIT_RESULT = '/run/cloud-init/result.json';
/** The result when cloud-init has finished (kiln's login waits for that: cloud-init-gate.ts), else the status command. */
export function cloudInitWaitCommand(resultPath = CLOUD_INIT_RESULT): string {
  return `cat ${resultPath} 2>/dev/null || ${CLOUD_INIT_STATUS_COMMAND}`;
}

export interface CloudInitStatus {
  /** done, error, disabled, running, "not run"; later versions also "degraded done" in extended_status. */
  status: string;
  /** nocloud, none (no seed found), ... */
  datasource: string;
  errors: string[];
  /** Warnings that did not stop cloud-init (cloud-init 23.4 and later). */
  warnings: string[];
  detail: string;
}

export function parseCloudInitStatus(stdout: string): CloudInitStatus | undefined {
  // A tabular --wait prints dots first; JSON is the first "{" to the end.
  const start = stdout.indexOf('{');
  if (start < 0) return undefined;
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(stdout.slice(start)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof data['status'] !== 'string') return resultStatus(data['v1']);
  const warnings = warningsOf(data['recoverable_errors']);
  return {
    status: data['status'],
    datasource: typeof data['datasource'] === 'string' ? data['datasource'] : '',
    errors: strings(data['errors']),
    warnings,
    detail: typeof data['detail'] === 'string' ? data['detail'] : '',
  };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** recoverable_errors (cloud-init 23.4+): lists of messages by log level. */
function warningsOf(recoverable: unknown): string[] {
  return typeof recoverable === 'object' && recoverable !== null ? Object.values(recoverable as Record<string, unknown>).flatMap(strings) : [];
}

/**
 * result.json's {"v1": {"datasource": "DataSourceNoCloud [seed=/dev/sr0]...", "errors": [...]}},
 * in `cloud-init status`'s terms: the data source's short name as status prints it.
 */
function resultStatus(v1: unknown): CloudInitStatus | undefined {
  if (typeof v1 !== 'object' || v1 === null) return undefined;
  const result = v1 as Record<string, unknown>;
  const detail = typeof result['datasource'] === 'string' ? result['datasource'] : '';
  const errors = strings(result['errors']);
  return {
    status: errors.length > 0 ? 'error' : 'done',
    datasource: detail.split(' ')[0]!.toLowerCase().replace(/^datasource/, ''),
    errors,
    warnings: warningsOf(result['recoverable_errors']),
    detail,
  };
}

const LOGS_HINT = 'serial.log has cloud-init\'s console output; in the guest see /var/log/cloud-init.log and /var/log/cloud-init-output.log';

/**
 * The build error for a cloud-init run that did not configure the guest, or undefined
 * when it did. `exitCode` 2 (cloud-init 23.4+: done with recoverable errors) is success.
 */
export function cloudInitStatusError(stdout: string, exitCode: number): KilnError | undefined {
  const status = parseCloudInitStatus(stdout);
  if (!status) {
    if (exitCode === 0 || exitCode === 2) return undefined;
    return new KilnError('E_PROVISION', `"${CLOUD_INIT_STATUS_COMMAND}" failed with exit code ${exitCode}: ${stdout.trim().slice(0, 300) || 'no output'}`, {
      hint: 'an image without cloud-init, or older than 22.1, cannot report its status this way; ' + LOGS_HINT,
    });
  }
  if (status.datasource === 'none') {
    return new KilnError('E_PROVISION', 'cloud-init found no NoCloud seed in the guest and ran without one (DataSourceNone)', {
      hint: 'with via: http the guest needs ds=nocloud-net;s=URL (an image with cloud-init older than 23.1 ignores ds=nocloud for http URLs); with via: cdrom the CD must be labelled CIDATA; ' + LOGS_HINT,
    });
  }
  if (status.status === 'disabled') {
    return new KilnError('E_PROVISION', `cloud-init is disabled in the guest: ${status.detail}`, {
      hint: 'its generator found no data source: check cloud_init.via and that the image\'s datasource_list includes NoCloud; ' + LOGS_HINT,
    });
  }
  if (status.status === 'error' || status.errors.length > 0) {
    return new KilnError('E_PROVISION', `cloud-init reported errors in the guest: ${status.errors.join('; ') || status.detail}`, { hint: LOGS_HINT });
  }
  return undefined;
}
