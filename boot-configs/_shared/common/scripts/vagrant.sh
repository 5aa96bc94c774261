#!/bin/sh
# Vagrant's conventions for a base box: Vagrant's insecure public key for the vagrant
# user, and passwordless sudo. The file provisioner uploads the key to /tmp/vagrant.pub
# first; Vagrant swaps it for a fresh key pair on the first `vagrant up`.
set -eu

user=vagrant
key=/tmp/vagrant.pub

home=$(awk -F: -v u="$user" '$1 == u { print $6 }' /etc/passwd)
if [ -z "$home" ]; then
  echo "vagrant.sh: there is no user $user" >&2
  exit 1
fi
group=$(id -gn "$user")

mkdir -p "$home/.ssh"
cat "$key" > "$home/.ssh/authorized_keys"
rm -f "$key"
chown -R "$user:$group" "$home/.ssh"
chmod 0700 "$home/.ssh"
chmod 0600 "$home/.ssh/authorized_keys"
# SELinux (RHEL, Fedora): sshd reads only files labelled as ssh home content.
if command -v restorecon >/dev/null 2>&1; then
  restorecon -R "$home/.ssh"
fi

# Written under a name with a dot (which sudo skips) and renamed, so a broken rule is
# never live. "!requiretty" keeps `vagrant ssh -c` working where requiretty is the default.
rules=/etc/sudoers.d/vagrant
printf '%s\n' "Defaults:$user !requiretty" "$user ALL=(ALL) NOPASSWD: ALL" > "$rules.new"
chmod 0440 "$rules.new"
if command -v visudo >/dev/null 2>&1; then
  visudo -c -q -f "$rules.new"
fi
mv "$rules.new" "$rules"
echo "vagrant.sh: insecure key and passwordless sudo set up for $user"
