#!/bin/sh
# AlmaLinux, Rocky Linux and Fedora: removes what a fresh image does not need and what
# must differ between machines made from it. minimize.sh runs after it.
set -eu

# Kernel packages of versions other than the running one (none right after an install;
# an update during provisioning leaves the old ones). rpm -q prints "package X is not
# installed" for the names a release does not have; only "name version" pairs count.
running=$(uname -r)
old=$(rpm -q --qf '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH} %{VERSION}-%{RELEASE}.%{ARCH}\n' \
  kernel kernel-core kernel-modules kernel-modules-core kernel-modules-extra |
  awk -v running="$running" 'NF == 2 && $2 != running { print $1 }')
# shellcheck disable=SC2086 # $old: one package name per word
if [ -n "$old" ]; then
  echo "cleanup.sh: removing old kernel packages:" $old
  dnf -y remove $old
fi
dnf -y autoremove
dnf -y clean all

# The installer's copies of the kickstart hold the build password.
rm -f /root/anaconda-ks.cfg /root/original-ks.cfg
# The install-time network profile is tied to this machine's interface; without it
# NetworkManager brings up any wired interface with DHCP.
rm -f /etc/NetworkManager/system-connections/*.nmconnection

# Logs from the build. The systemd journal is rotated and vacuumed rather than truncated
# under journald's feet.
journalctl --rotate
journalctl --vacuum-time=1s
find /var/log -type f ! -path '/var/log/journal/*' -exec truncate -s 0 {} +

# Identity that every machine made from the image must make for itself: an empty
# machine-id is generated again at the next boot.
truncate -s 0 /etc/machine-id
rm -f /var/lib/systemd/random-seed

# Temporary files, except the scripts kiln is running right now (/tmp/kiln-*).
find /tmp /var/tmp -mindepth 1 -maxdepth 1 ! -name 'kiln-*' -exec rm -rf {} +
rm -f /root/.bash_history /home/*/.bash_history
echo "cleanup.sh: done"
