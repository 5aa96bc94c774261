#!/bin/sh
# Debian and Ubuntu: removes what a fresh image does not need and what must differ
# between machines made from it. minimize.sh runs after it.
set -eu
export DEBIAN_FRONTEND=noninteractive

# Kernel packages of versions other than the running one (none right after an install;
# an upgrade during provisioning leaves the old ones). The running version's packages,
# e.g. linux-image-6.1.0-18-amd64 for 6.1.0-18-amd64, are kept with their headers.
running=$(uname -r)
version=${running%-*}
old=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' |
  awk -v v="$version" '$2 ~ /^ii/ && $1 ~ /^linux-(image|modules|modules-extra|headers)-[0-9]/ && index($1 "-", "-" v "-") == 0 { print $1 }')
# shellcheck disable=SC2086 # $old: one package name per word
if [ -n "$old" ]; then
  echo "cleanup.sh: removing old kernel packages:" $old
  apt-get -y purge $old
fi
apt-get -y autoremove --purge
apt-get -y clean
rm -rf /var/lib/apt/lists/*

# Logs from the build. The systemd journal is rotated and vacuumed rather than truncated
# under journald's feet.
if command -v journalctl >/dev/null 2>&1; then
  journalctl --rotate
  journalctl --vacuum-time=1s
fi
find /var/log -type f ! -path '/var/log/journal/*' -exec truncate -s 0 {} +

# Identity that every machine made from the image must make for itself: an empty
# machine-id is generated again at the next boot.
truncate -s 0 /etc/machine-id
if [ -f /var/lib/dbus/machine-id ] && [ ! -L /var/lib/dbus/machine-id ]; then
  rm -f /var/lib/dbus/machine-id
fi
rm -f /var/lib/systemd/random-seed /var/lib/dhcp/*.leases

# Temporary files, except the scripts kiln is running right now (/tmp/kiln-*).
find /tmp /var/tmp -mindepth 1 -maxdepth 1 ! -name 'kiln-*' -exec rm -rf {} +
rm -f /root/.bash_history /home/*/.bash_history
echo "cleanup.sh: done"
