// The template the stage-cache e2e suites (resume, memory-resume) build: the fixture
// installer, a first provisioner that never changes and a last one (scripts/last.sh)
// each suite edits. `hostname` goes into the answer file: changing it changes the
// install stage; `cpus` changes the machine a saved state must match; `memory: false`
// makes every layer disk-only (cache.memory).
export function twoProvisionerTemplate({ name, hostname = name, cpus = 2, memory = true }: { name: string; hostname?: string; cpus?: number; memory?: boolean }): string {
  return `
name: ${name}
${memory ? '' : 'cache: { memory: false }\n'}variables:
  iso: {}
source:
  iso: { url: "{{ var \`iso\` }}", checksum: none }
machine: { cpus: ${cpus}, memory: 512, disk: 2G }
http:
  content:
    /ks.cfg: |
      hostname ${hostname}
      user kiln
      authorized_key {{ .SSHPublicKey }}
boot:
  wait: 0s
  key_interval: 40ms # slow enough for a loaded CI machine
  command:
    - '<waitSerial "boot:">'
    - "install ks=http://{{ .HTTPIP }}:{{ .HTTPPort }}/ks.cfg<enter>"
ssh: { username: kiln, timeout: 4m }
provision:
  - shell: { inline: ["echo first > /tmp/first", "sudo mv /tmp/first /etc/kiln-first"] }
  - shell: { script: scripts/last.sh, sudo: true }
shutdown: { command: sudo shutdown -P now, timeout: 2m }
output: { directory: out, formats: [qcow2] }
`;
}
