// A stand-in for sudo, put first on PATH by the fake SSH server (tests run as root on
// hosts that may have no sudo). It accepts the flags kiln uses, checks the password
// like sudo would, records the password it read in $HOME/.sudo-password, and runs the
// rest of its arguments.
export const FAKE_SUDO = `#!/bin/sh
needs_password=\${FAKE_SUDO_PASSWORD+yes}
while [ $# -gt 0 ]; do
  case "$1" in
    -E) shift ;;
    -n) non_interactive=yes; shift ;;
    -S) IFS= read -r password || true; printf '%s' "$password" > "$HOME/.sudo-password"; from_stdin=yes; shift ;;
    -p) shift 2 ;;
    -*) echo "sudo: unknown option $1" >&2; exit 1 ;;
    *) break ;;
  esac
done
if [ "$needs_password" = yes ]; then
  if [ "$from_stdin" = yes ]; then
    [ "$password" = "$FAKE_SUDO_PASSWORD" ] || { echo "sudo: 1 incorrect password attempt" >&2; exit 1; }
  elif [ "$non_interactive" = yes ]; then
    echo "sudo: a password is required" >&2; exit 1
  fi
fi
exec "$@"
`;
