// Extra media an installer reads its answers from: a CD with any label (kickstart's
// inst.ks=cdrom, Packer's cd_files) and a FAT floppy (Packer's floppy_files).

export interface MediaSpec {
  /** The volume label: a kickstart or cloud-init datasource finds the disk by it. */
  label?: string;
  /** Absolute local paths: a file lands at the root under its name; a folder under its own name, or its contents with a trailing slash. */
  files: string[];
  /** Path on the medium -> text, rendered with the placeholders at build time. */
  content: Record<string, string>;
}
