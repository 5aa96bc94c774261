export const USAGE = `kiln: build golden VM images and Vagrant boxes

Usage:
  kiln build FILE [options]     build the image described by FILE (kiln.yaml or .json)
  kiln validate FILE [options]  check FILE and report every problem, then exit
  kiln --version | --help

Options for build and validate:
  --var NAME=VALUE              set a template variable (repeatable)
  --var-file FILE               read variables from a YAML/JSON file (repeatable)

Options for build:
  --force                       replace an existing output directory
  --on-error=cleanup|abort      on failure: clean up (default), or stop the VM and
                                keep every file in place for inspection
  --verbose                     also show debug lines (they are always in build.log)

Exit codes: 0 success, 1 build failed, 2 invalid input, 130 interrupted.
Docs: README.md and docs/ in the kiln repository.
`;
