// Findings made before boot (preflight, src/engine/rootfs/preflight.ts) or by the pipeline itself;
// listed in the catalog so that every id the product emits has one documented meaning and severity.
import { about, type CatalogEntry } from './catalog-entry.js'

export const PIPELINE_FINDINGS = {
  'loader.not-elf': {
    severity: 'error',
    meaning:
      'Preflight: the command is neither an ELF program nor a #! script, or its ELF header is damaged.',
    example: '/app is neither an ELF program nor a #! script (it starts with "hello")',
    hint: () =>
      'Point cmd at the program itself (an x86-64 ELF executable), and copy it again if it is truncated.'
  },
  'loader.wrong-arch': {
    severity: 'error',
    meaning: 'Preflight: the command is an ELF program for another architecture than the guest.',
    example: '/hello is an ELF program for AArch64, the guest is x86_64',
    hint: d => `Build or copy the x86-64 build of ${about(d, 'the program')}: the guest runs x86_64 only.`
  },
  'rootfs.empty': {
    severity: 'error',
    meaning: 'Preflight: the root filesystem holds nothing to boot.',
    example: 'the root filesystem is empty',
    hint: () =>
      'Nothing to boot: check the rootfs source (a Dockerfile whose last stage copies nothing, an empty directory or archive).'
  },
  'rootfs.symlink-loop': {
    severity: 'error',
    meaning:
      'Preflight: resolving the command or a library inside the root filesystem runs into a symlink loop.',
    example: '/usr/bin/app -> /usr/bin/app2 -> /usr/bin/app',
    hint: () => 'Fix the symlinks in the root filesystem so each ends at a real file inside it.'
  },
  'setup.unikraft-unavailable': {
    severity: 'warning',
    meaning:
      'No Unikraft kernel could be had (no `kernel` given, unikraft.org or github.com unreachable); the CLI ran the Linux baseline instead.',
    example: 'could not download https://github.com/unikraft/kraftkit/releases/...: ENOTFOUND',
    hint: () =>
      'Pass a prebuilt Unikraft ELF-loader image with --kernel PATH (input `kernel`), or run where unikraft.org and github.com are reachable.'
  },
  'config.empty-argument': {
    severity: 'warning',
    meaning:
      "An argument of the command is the empty string: Unikraft's command-line parser drops empty arguments, so the program sees fewer arguments than on Linux.",
    example: "argument 2 of the command is empty: ['/usr/bin/app', '--name', '']",
    hint: () =>
      'Unikraft cannot pass an empty argument: leave it out or give it a value (many programs accept `--opt=` or a default instead).'
  },
  'config.invalid': {
    severity: 'error',
    meaning:
      'An input or config value was found wrong while the check ran (for example a Dockerfile that does not build).',
    example: "Input 'rootfs' names a Dockerfile whose build failed at Dockerfile:7",
    hint: () => 'Fix the input or config key named in the message (the build log is in the artifacts).'
  }
} satisfies Record<string, CatalogEntry>
