// Kickstart commands and their options, for RHEL 9 and current Fedora (the union, so a
// file for either passes). Data only: the names that pykickstart, the parser Anaconda
// uses, accepts (its RHEL9 and F45 handlers); kickstart.ts checks files against them.

/** part's options (partition is its alias). */
const PART_OPTIONS = [
  '--asprimary', '--backuppassphrase', '--cipher', '--encrypted', '--escrowcert', '--fsoptions', '--fsprofile',
  '--fstype', '--grow', '--hibernation', '--hw-passphrase', '--label', '--luks-version', '--maxsize',
  '--mkfsoptions', '--noformat', '--onbiosdisk', '--ondisk', '--ondrive', '--onpart', '--passphrase', '--pbkdf',
  '--pbkdf-iterations', '--pbkdf-memory', '--pbkdf-time', '--recommended', '--resize', '--size', '--type',
  '--usepart',
];

/** Command -> the long options it accepts. */
export const KICKSTART_COMMANDS: Readonly<Record<string, readonly string[]>> = {
  auth: [],
  authconfig: [],
  authselect: [],
  autopart: [
    '--backuppassphrase', '--cipher', '--encrypted', '--escrowcert', '--fstype', '--hibernation', '--hw-passphrase',
    '--luks-version', '--noboot', '--nohome', '--nolvm', '--noswap', '--passphrase', '--pbkdf', '--pbkdf-iterations',
    '--pbkdf-memory', '--pbkdf-time', '--type',
  ],
  autostep: ['--autoscreenshot'],
  bootc: ['--bootloader', '--composefs', '--source-imgref', '--stateroot', '--target-imgref'],
  bootloader: [
    '--append', '--boot-drive', '--default', '--disabled', '--driveorder', '--extlinux', '--iscrypted',
    '--leavebootorder', '--location', '--md5pass', '--nombr', '--password', '--sdboot', '--timeout',
  ],
  btrfs: [
    '--data', '--label', '--metadata', '--mkfsoptions', '--name', '--noformat', '--parent', '--subvol',
    '--useexisting',
  ],
  cdrom: [],
  clearpart: ['--all', '--cdl', '--disklabel', '--drives', '--initlabel', '--linux', '--list', '--none'],
  cmdline: ['--non-interactive'],
  driverdisk: ['--biospart', '--source'],
  eula: ['--accept', '--accepted', '--agree', '--agreed'],
  fcoe: ['--autovlan', '--dcb', '--nic'],
  firewall: [
    '--disable', '--disabled', '--enable', '--enabled', '--ftp', '--http', '--port', '--remove-service', '--service',
    '--smtp', '--ssh', '--trust', '--use-system-defaults',
  ],
  firstboot: ['--disable', '--disabled', '--enable', '--enabled', '--reconfig'],
  graphical: ['--non-interactive'],
  group: ['--gid', '--name'],
  halt: ['--eject', '--kexec'],
  harddrive: ['--dir', '--partition'],
  hmc: [],
  ignoredisk: ['--drives', '--only-use'],
  iscsi: ['--iface', '--ipaddr', '--password', '--port', '--reverse-password', '--reverse-user', '--target', '--user'],
  iscsiname: [],
  keyboard: ['--switch', '--vckeymap', '--xlayouts'],
  lang: ['--addsupport'],
  liveimg: ['--checksum', '--noverifyssl', '--proxy', '--url'],
  logging: ['--host', '--level', '--port'],
  logvol: [
    '--backuppassphrase', '--cachemode', '--cachepvs', '--cachesize', '--chunksize', '--cipher', '--encrypted',
    '--escrowcert', '--fsoptions', '--fsprofile', '--fstype', '--grow', '--hibernation', '--label', '--luks-version',
    '--maxsize', '--metadatasize', '--mkfsoptions', '--name', '--noformat', '--passphrase', '--pbkdf',
    '--pbkdf-iterations', '--pbkdf-memory', '--pbkdf-time', '--percent', '--poolname', '--profile', '--recommended',
    '--resize', '--size', '--thin', '--thinpool', '--useexisting', '--vgname',
  ],
  mediacheck: [],
  method: [],
  module: ['--disable', '--name', '--stream'],
  mount: ['--mkfsoptions', '--mountoptions', '--reformat'],
  network: [
    '--activate', '--bindto', '--bondopts', '--bondslaves', '--bootproto', '--bridgeopts', '--bridgeslaves',
    '--device', '--dhcpclass', '--essid', '--ethtool', '--gateway', '--hostname', '--interfacename', '--ip',
    '--ipv4-dns-search', '--ipv4-ignore-auto-dns', '--ipv6', '--ipv6-dns-search', '--ipv6-ignore-auto-dns',
    '--ipv6gateway', '--mtu', '--nameserver', '--netmask', '--no-activate', '--nodefroute', '--nodns', '--noipv4',
    '--noipv6', '--notksdevice', '--onboot', '--teamconfig', '--teamslaves', '--vlanid', '--wepkey', '--wpakey',
  ],
  nfs: ['--dir', '--opts', '--server'],
  nvdimm: ['--blockdevs', '--mode', '--namespace', '--sectorsize'],
  ostreecontainer: ['--no-signature-verification', '--remote', '--stateroot', '--transport', '--url'],
  ostreesetup: ['--nogpg', '--osname', '--ref', '--remote', '--url'],
  part: PART_OPTIONS,
  partition: PART_OPTIONS,
  poweroff: ['--eject', '--kexec'],
  raid: [
    '--backuppassphrase', '--chunksize', '--cipher', '--device', '--encrypted', '--escrowcert', '--fsoptions',
    '--fsprofile', '--fstype', '--label', '--level', '--luks-version', '--mkfsoptions', '--noformat', '--passphrase',
    '--pbkdf', '--pbkdf-iterations', '--pbkdf-memory', '--pbkdf-time', '--spares', '--useexisting',
  ],
  rdp: ['--password', '--username'],
  realm: [],
  reboot: ['--eject', '--kexec'],
  repo: [
    '--baseurl', '--cost', '--excludepkgs', '--ignoregroups', '--includepkgs', '--install', '--metalink',
    '--mirrorlist', '--name', '--noverifyssl', '--proxy', '--sslcacert', '--sslclientcert', '--sslclientkey',
  ],
  reqpart: ['--add-boot'],
  rescue: ['--nomount', '--romount'],
  rhsm: [
    '--activation-key', '--connect-to-insights', '--organization', '--proxy', '--rhsm-baseurl', '--server-hostname',
  ],
  rootpw: ['--allow-ssh', '--iscrypted', '--lock', '--plaintext'],
  selinux: ['--disabled', '--enforcing', '--permissive'],
  services: ['--disabled', '--enabled'],
  shutdown: ['--eject', '--kexec'],
  skipx: [],
  snapshot: ['--name', '--when'],
  sshkey: ['--username'],
  sshpw: ['--iscrypted', '--lock', '--plaintext', '--sshkey', '--username'],
  syspurpose: ['--addon', '--role', '--sla', '--usage'],
  text: ['--non-interactive'],
  timesource: ['--ntp-disable', '--ntp-pool', '--ntp-server', '--nts'],
  timezone: ['--isUtc', '--nontp', '--ntpservers', '--utc'],
  updates: [],
  url: [
    '--metalink', '--mirrorlist', '--noverifyssl', '--proxy', '--sslcacert', '--sslclientcert', '--sslclientkey',
    '--url',
  ],
  user: [
    '--gecos', '--gid', '--groups', '--homedir', '--iscrypted', '--lock', '--name', '--password', '--plaintext',
    '--shell', '--uid',
  ],
  vnc: ['--host', '--password', '--port'],
  volgroup: ['--noformat', '--pesize', '--reserved-percent', '--reserved-space', '--useexisting'],
  xconfig: ['--defaultdesktop', '--startxonboot'],
  zerombr: [],
  zfcp: ['--devnum', '--fcplun', '--wwpn'],
  zipl: ['--force-secure-boot', '--no-secure-boot', '--secure-boot'],
};

/** Commands whose arguments go to another tool (authselect, realm): options are not checked. */
export const PASS_THROUGH_COMMANDS: ReadonlySet<string> = new Set(['auth', 'authconfig', 'authselect', 'realm']);

/** Commands both RHEL 9 and Fedora removed, with what to do instead. */
export const REMOVED_COMMANDS: Readonly<Record<string, string>> = {
  install: 'installing is the default: remove the line (give the source with url, cdrom, nfs or harddrive)',
  device: 'drivers load automatically: remove the line, or use driverdisk for a missing driver',
  deviceprobe: 'devices are probed automatically: remove the line',
  dmraid: 'firmware RAID is detected automatically: remove the line',
  multipath: 'multipath devices are detected automatically: remove the line',
};

/** Section headers, with the options each accepts (null: not checked). */
export const KICKSTART_SECTIONS: Readonly<Record<string, readonly string[] | null>> = {
  '%packages': [
    '--default', '--excludedocs', '--ignoremissing', '--ignoredeps', '--resolvedeps', '--instLangs', '--inst-langs',
    '--nobase', '--multilib', '--nocore', '--timeout', '--retries', '--excludeWeakdeps', '--exclude-weakdeps', '--ignorebroken',
  ],
  '%pre': ['--erroronfail', '--interpreter', '--log', '--logfile'],
  '%pre-install': ['--erroronfail', '--interpreter', '--log', '--logfile'],
  '%post': ['--erroronfail', '--interpreter', '--log', '--logfile', '--nochroot'],
  '%onerror': ['--erroronfail', '--interpreter', '--log', '--logfile'],
  '%traceback': ['--erroronfail', '--interpreter', '--log', '--logfile'],
  '%certificate': ['--filename', '--dir', '--type'],
  // %addon NAME takes the add-on's own options; %anaconda holds pwpolicy lines.
  '%addon': null,
  '%anaconda': null,
};
