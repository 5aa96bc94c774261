// Packer's run-time build variables (`{{ build `PackerHTTPAddr` }}`, which HCL2's
// `build.PackerHTTPAddr` becomes) as what kiln knows them by: its placeholders, or the
// value the template itself gives (the SSH user and password). One kiln has no value
// for is a problem at the key that uses it.
import { formatPath, type Segment } from '../../template/finding.js';
import type { SourcePos } from '../model.js';
import type { Translator } from './translator.js';

const BUILD_VARIABLE = /\{\{\s*build\s+(?:`([^`]*)`|"([^"]*)")\s*\}\}/g;

function valueOf(t: Translator, name: string): string | undefined {
  const ssh = t.get(['ssh']);
  const login = typeof ssh === 'object' && ssh !== null ? (ssh as Record<string, unknown>) : {};
  switch (name) {
    case 'PackerHTTPAddr':
      return '{{ .HTTPIP }}:{{ .HTTPPort }}';
    case 'PackerHTTPIP':
      return '{{ .HTTPIP }}';
    case 'PackerHTTPPort':
      return '{{ .HTTPPort }}';
    case 'SSHPublicKey':
      return '{{ .SSHPublicKey }}';
    case 'Host':
      return '127.0.0.1';
    case 'ConnType':
      return 'ssh';
    case 'User':
      return typeof login.username === 'string' ? login.username : undefined;
    case 'Password':
      return typeof login.password === 'string' ? login.password : undefined;
    default:
      return undefined;
  }
}

export function fillBuildVariables(t: Translator, origin: (path: readonly Segment[]) => SourcePos | undefined): void {
  const visit = (value: unknown, path: Segment[], holder: Record<string | number, unknown>, key: string | number): void => {
    if (typeof value === 'string' && value.includes('build')) {
      holder[key] = value.replace(BUILD_VARIABLE, (whole: string, backquoted?: string, quoted?: string) => {
        const name = backquoted ?? quoted ?? '';
        const known = valueOf(t, name);
        if (known !== undefined) return known;
        const pos = origin(path) ?? t.build.source.pos;
        t.problem(pos, `${formatPath(path)}: ${whole}: kiln has no value for Packer's build variable ${name} (it knows PackerHTTPAddr, PackerHTTPIP, PackerHTTPPort, SSHPublicKey, Host, User, Password, ConnType)`);
        return whole;
      });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, [...path, i], value as unknown as Record<number, unknown>, i));
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, item] of Object.entries(value)) visit(item, [...path, k], value as Record<string, unknown>, k);
    }
  };
  for (const [key, value] of Object.entries(t.document)) visit(value, [key], t.document, key);
}
