export const USAGE = `kiln: build golden VM images and Vagrant boxes

Usage:
  kiln build FILE... [options]  build the images described by each FILE: a kiln.yaml
                                (one build, or one per matrix: combination), or a
                                Packer template (.pkr.hcl, a folder of them, a legacy
                                .json); several builds run at once (docs/matrix.md)
  kiln validate FILE [options]  check FILE and report every problem, then exit
  kiln bench FILE [options]     build FILE (as build --force) and print where the
                                time went: guest phases, steps, kiln's own time
  kiln fetch FILE...            download what each build starts from into the cache,
                                booting nothing (for --offline builds, docs/source-cache.md)
  kiln bundle export FILE... -o BUNDLE.tar
                                the builds' sources, recorded guest packages
                                (proxy: cache) and cached stages in one archive
  kiln bundle import BUNDLE.tar verify a bundle, then load it into the cache
                                (docs/air-gap.md)
  kiln inspect PACKER_TEMPLATE  its variables, builds and resolved settings
  kiln import PACKER_TEMPLATE [--out DIR] [--force]
                                write each build as a kiln.yaml (NAME.kiln.yaml
                                when there are several)
  kiln console [NAME]           attach to the serial console of running build NAME
                                (Ctrl-] detaches)
  kiln cache ls|prune|rm        list, trim or remove cached build stages
                                (docs/cache.md)
  kiln init NAME [DIR]          start folder DIR (default NAME) from a shipped
                                boot-config; --force writes into a non-empty DIR
  kiln init --list              list the boot-configs (docs/distributions.md)
  kiln publish OUTPUT_DIR --to catalog:DIR --name ORG/BOX --version X.Y.Z
                                add a build's Vagrant box to a box catalog
                                directory (docs/publish.md)
  kiln publish OUTPUT_DIR --to oci://HOST/REPO[:TAG] [--containerdisk]
                                push a build's files to an OCI registry as an
                                artifact, or its qcow2 as a KubeVirt containerDisk
  kiln pull oci://HOST/REPO[:TAG] DIR
                                fetch a published artifact into DIR, verified
  kiln --version | --help

Options for build, validate, inspect and import (Packer's -var, -var-file,
-only, -except, -force and -on-error spellings work too):
  --var NAME=VALUE              set a template variable (repeatable)
  --var-file FILE               read variables from a YAML/JSON file, or a Packer
                                .pkrvars.hcl/.json file (repeatable)
  --only/--except NAME,...      build only / all but these builds (a matrix's
                                debian-12-efi, Packer's qemu.vm; globs: *-efi, *.vm)
  --proxy URL|none              proxy for downloads, over the template's proxy and
                                HTTP(S)_PROXY (NO_PROXY still applies; docs/template.md)

Options for build:
  --force                       replace an earlier kiln build's output directory
  --no-cache                    run every stage, resuming from no cached one
                                (the fresh stages replace the cached ones)
  --cache-from oci://HOST/REPO  pull cached stages from a registry before planning
  --cache-to oci://HOST/REPO    push this build's stages to a registry after it
                                (credentials: auth files; CA: SSL_CERT_FILE)
  --on-error=cleanup|abort|ask  on failure: clean up (default), stop the VM and
                                keep every file in place for inspection, or ask
                                (shell in the guest, retry the step, clean up, abort)
  --console                     stream the guest's serial console (always in serial.log)
  --offline                     download nothing: sources come from the cache
                                (kiln fetch) or the build fails at once naming them;
                                with proxy: cache the guest's packages too
  --screenshots                 save the screen before typing and after each
                                boot.command line as boot-NN.png
  --json                        JSON events on stdout, one per line; human output
                                goes to stderr
  --verbose                     also show debug lines (they are always in build.log)
  --list                        print the builds (name, output directory); build nothing
  --parallel N                  run at most N builds at once (Packer: -parallel-builds);
                                default: what the host's cores and memory carry
  --fail-fast                   the first failed build stops the others

Options for cache:
  ls [--template NAME]          layers with their stage, size and last use
  prune [--max-size SIZE]       remove least recently used layers down to SIZE
                                (default KILN_CACHE_MAX_SIZE, else 20G)
  rm LAYER... | --template NAME | --all
                                remove layers and those built on them

Options for publish:
  --description TEXT            the box's description in the catalog
  --url-base URL                where DIR is served (default: file:// URLs)
  --architecture ARCH           the box's architecture (default amd64)
  --force                       replace the box already published for this
                                version, provider and architecture
  --version V                   oci: org.opencontainers.image.version (default the tag)
  --containerdisk               oci: the qcow2 as a KubeVirt containerDisk image
  --chunk-size SIZE             oci: bytes per upload request for big blobs (64M)

Options for publish --to oci://, pull, and build's --cache-to/--cache-from:
  --username USER --password-stdin
                                registry credentials (default: REGISTRY_AUTH_FILE,
                                containers/auth.json, ~/.docker/config.json)
  --ca-file CA.pem              trust this CA for the registry (also SSL_CERT_FILE)
  --plain-http                  talk HTTP, not HTTPS, to the registry
  --proxy URL|none              proxy for registry requests (default HTTP(S)_PROXY)

Exit codes: 0 success, 1 build failed, 2 invalid input, 130 interrupted.
Docs: README.md and docs/ in the kiln repository.
`;
