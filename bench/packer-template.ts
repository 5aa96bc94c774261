// The Packer 1.6 (qemu builder) equivalent of the demo template, so both tools build the
// same fixture with the same machine, boot line and provisioning. Pure.

export interface PackerBenchInput {
  iso: string;
  outputDir: string;
  httpDir: string;
  bootLine: string;
  password: string;
  diskMiB: number;
  memoryMiB: number;
  cpus: number;
  provision: object[];
  serialLog: string;
}

export function packerTemplate(input: PackerBenchInput): object {
  return {
    builders: [
      {
        type: 'qemu',
        iso_url: input.iso,
        iso_checksum: 'none',
        output_directory: input.outputDir,
        vm_name: 'demo.qcow2',
        format: 'qcow2',
        disk_compression: true,
        disk_size: `${input.diskMiB}M`,
        disk_interface: 'virtio',
        net_device: 'virtio-net',
        memory: input.memoryMiB,
        cpus: input.cpus,
        accelerator: 'tcg',
        headless: true,
        http_directory: input.httpDir,
        // Packer cannot watch the guest, so users guess; 10s is its documented default.
        boot_wait: '10s',
        boot_command: [input.bootLine],
        ssh_username: 'kiln',
        ssh_password: input.password,
        ssh_timeout: '15m',
        // The fixture guest serves SFTP, not scp (as many minimal images do).
        ssh_file_transfer_method: 'sftp',
        shutdown_command: 'sudo shutdown -P now',
        qemuargs: serialToFile(input.serialLog),
      },
    ],
    provisioners: input.provision,
  };
}

/** Packer's http_directory serves files as they are: the answer file with the password in it. */
export function packerAnswerFile(password: string): string {
  return `hostname demo\nuser kiln\npassword ${password}\n`;
}

/**
 * qemuargs that log the serial console to a file the way kiln's QEMU does (a chardev's
 * logfile), so the bench stamps both tools' guest lines alike.
 */
export function serialToFile(path: string): string[][] {
  return [
    ['-chardev', `null,id=benchserial,logfile=${path.replaceAll(',', ',,')},logappend=off`],
    ['-serial', 'chardev:benchserial'],
  ];
}
