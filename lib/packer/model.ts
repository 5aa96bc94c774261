// What a Packer template means once its own language is evaluated, whichever front end
// read it (HCL2 files or legacy JSON): a list of builds, each one source with the
// provisioners and post-processors that apply to it. Values are plain JSON-like data;
// every setting keeps where it was written, so that translating it into kiln's template
// can report a problem at the user's file:line:col.

/** A position in a Packer template file; line and column are 1-based. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

/** An evaluated value: string, number, boolean, null, array or plain object of these. */
export type PackerValue = string | number | boolean | null | PackerValue[] | { [key: string]: PackerValue };

export interface Setting {
  value: PackerValue;
  /** Where the key was written (the attribute's name in HCL, the key in JSON). */
  pos: SourcePos;
}

/** One configured plugin: a source (builder), a provisioner or a post-processor. */
export interface PluginConfig {
  /** The plugin type: "qemu", "virtualbox-iso", "shell", "file", "vagrant", ... */
  type: string;
  /** The block's own name when it has one (`provisioner "shell" { name = "x" }`, a source's label). */
  name?: string;
  /** Where the block (or JSON object) starts. */
  pos: SourcePos;
  /** Its settings, evaluated; `only`/`except`/`override` already applied and removed. */
  settings: Record<string, Setting>;
}

export interface PackerBuild {
  /** Packer's name for the build, as -only matches and PACKER_BUILD_NAME shows: "qemu.vm" in HCL2 ("<type>.<name>"), the builder's name in JSON. */
  name: string;
  /** The `build` block's `name`, when given (HCL2). */
  buildName?: string;
  /** The source with the build block's overrides merged in. */
  source: PluginConfig;
  provisioners: PluginConfig[];
  /** Post-processor chains in order; each chain's output feeds the next in it. */
  postProcessors: PluginConfig[][];
  /** The template's folder (`path.root`, `{{ template_dir }}`). Relative paths in settings resolve against the working directory, as in Packer. */
  dir: string;
  /** Values of sensitive variables, to be masked wherever the build speaks. */
  sensitive: string[];
  /** Every file the template was read from (HCL files, var files), for the output-dir guard. */
  files: string[];
}

/** A note about the template that is not an error: a key accepted but ignored, a block kiln does without. */
export interface PackerNote {
  pos: SourcePos;
  message: string;
}

/** What a front end yields: the builds, selected by -only/-except, and notes found on the way. */
export interface PackerTemplate {
  builds: PackerBuild[];
  notes: PackerNote[];
  /** For `kiln inspect`: the variables with their resolved values (sensitive ones masked), in declaration order. */
  variables: { name: string; value: PackerValue; sensitive: boolean; pos: SourcePos; description?: string }[];
}

/** The inputs a Packer front end takes from the command line and the environment. */
export interface PackerInputs {
  /** -var name=value, in order given; later wins. */
  vars: [string, string][];
  /** -var-file paths, in order given. */
  varFiles: string[];
  /** -only / -except: Packer's build names or globs ("qemu.vm", "*.vm", "source.qemu.vm"). */
  only: string[];
  except: string[];
  /** The environment, for PKR_VAR_name and env(); defaults to process.env. */
  env?: Record<string, string | undefined>;
}
