#!/bin/sh
# Alpine: removes what a fresh image does not need. minimize.sh runs after it.
set -eu

rm -rf /var/cache/apk/*
find /var/log -type f -exec truncate -s 0 {} \;
# Temporary files, except the scripts kiln is running right now (/tmp/kiln-*).
find /tmp /var/tmp -mindepth 1 -maxdepth 1 ! -name 'kiln-*' -exec rm -rf {} \;
rm -f /root/.ash_history /home/*/.ash_history
echo "cleanup.sh: done"
