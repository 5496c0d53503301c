#!/usr/bin/env node
import { E as ExitCode, t as toError, a as asEnvironmentError, d as describeError, f as InterruptedError, i as interruptedExitCode, e as errorKind } from './chunks/errors.js';
import { T as TOOL_NAME, a as TOOL_VERSION } from './chunks/version.js';
import { U as UsageError } from './chunks/args.js';
import { I as INPUTS } from './chunks/inputs.js';
import 'node:fs';
import 'node:path';
import 'node:url';
import 'node:util';

// --help texts, one per subcommand, each with an example.
const MAIN_HELP = `${TOOL_NAME} ${TOOL_VERSION}: does a Linux app run on Unikraft?

Usage: ${TOOL_NAME} <command> [options]

Commands:
  run [APP_DIR]          build the app's root filesystem, boot it, probe it, diagnose it
  diagnose LOG           name what went wrong in a Unikraft console log
  rootfs pack DIR OUT    pack a directory into a cpio (newc) initrd
  rootfs ls CPIO         list a cpio archive
  matrix RESULTS_DIR     aggregate result.json files into a compatibility matrix
  setup                  install or check QEMU, the Linux baseline kernel and KraftKit

Options:
  -h, --help             show help (also: ${TOOL_NAME} <command> --help)
  --version              print the version

Exit codes: 0 pass, 1 the app failed its check, 2 usage or configuration error, 3 infrastructure error.

Example:
  ${TOOL_NAME} run examples/redis-local
`;
function runOptionLines() {
    const width = Math.max(...INPUTS.map(i => i.name.length + i.metavar.length + 4));
    return INPUTS.map(i => {
        const left = `--${i.name} ${i.metavar}`.padEnd(width);
        const rep = i.multiline ? ' (repeatable)' : '';
        return `  ${left}  ${i.description}${rep}${i.default ? ` Default: ${i.default}.` : ''}`;
    }).join('\n');
}
const COMMAND_HELP = {
    run: `Usage: ${TOOL_NAME} run [APP_DIR] [options]

Builds the app's root filesystem (from its Dockerfile, a directory, a tarball, a cpio or binary:PATH),
checks it before boot, boots it headless under QEMU (as a Unikraft unikernel, or on the Linux baseline
guest), runs the probes, names what went wrong from the console log, and prints a report.
The options are the GitHub Action's inputs, with the same names; APP_DIR is the same as --app.

Options:
${runOptionLines()}
  --out DIR, -o DIR        where logs and result.json go. Default: ./unikraft-compat-out/<app>-<version>
  --json                   print only the result JSON on stdout
  --quiet, -q              print only the report
  --verbose, -v            print debug lines too
  -h, --help               show this help

Examples:
  ${TOOL_NAME} run examples/redis-local
  ${TOOL_NAME} run examples/redis --guest linux --probe redis:6379 --timeout 2m
  ${TOOL_NAME} run . --kernel ./elfloader_qemu-x86_64 --probe 'http:80/ status=200'
`,
    diagnose: `Usage: ${TOOL_NAME} diagnose LOG [--json]

Reads a Unikraft console log (raw, ANSI and CRLF are fine) and prints the findings: what went wrong,
the evidence line, and what to do. Exit 0 when there is no error finding, else 1.

Options:
  --json        print {"findings": [{"id","severity","line","evidence","detail","hint"}]}
  -h, --help    show this help

Example:
  ${TOOL_NAME} diagnose console.log
`,
    rootfs: `Usage: ${TOOL_NAME} rootfs pack DIR OUT.cpio [--gzip]
       ${TOOL_NAME} rootfs ls ARCHIVE.cpio [--json]

pack: writes DIR as a deterministic cpio (newc) archive, the initrd format Unikraft and Linux read.
ls: lists an archive (type, mode, size, path).

Examples:
  ${TOOL_NAME} rootfs pack ./rootfs initrd.cpio
  ${TOOL_NAME} rootfs ls initrd.cpio
`,
    matrix: `Usage: ${TOOL_NAME} matrix RESULTS_DIR [--out DIR] [--expect-app DIR ...] [--expect-version VER ...] [--json]

Reads every result.json below RESULTS_DIR and writes the compatibility matrix (apps x Unikraft versions)
as matrix.md, matrix.json and matrix.svg into --out (default: RESULTS_DIR), printing the table.

Options:
  -o, --out DIR             where to write the matrix files
  --expect-app DIR          an app that must have a row (repeatable), named like a run names it (its
                            directory relative to the current one, e.g. library/redis/7.2), so a cell
                            that left no result.json shows as "no result" instead of disappearing
  --expect-version VER      a Unikraft version that must have a column (repeatable)
  --json                    print matrix.json instead of the table

Examples:
  ${TOOL_NAME} matrix ./results --out ./matrix
  ${TOOL_NAME} matrix ./results --expect-app examples/redis --expect-app examples/nginx --expect-version latest
`,
    setup: `Usage: ${TOOL_NAME} setup [--check] [--kraftkit-version VER] [--json]

Checks (and unless --check, installs) what a run needs: QEMU, the Linux baseline kernel, KraftKit.
Prints what it found and what it did or would do.

Examples:
  ${TOOL_NAME} setup --check
  ${TOOL_NAME} setup
`
};

// The terminal as an injected effect: where output goes, whether it is a TTY, whether colour is on.
function createTerminal(env = process.env) {
    const isTTY = process.stderr.isTTY === true;
    const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
    return {
        out: t => process.stdout.write(t),
        err: t => process.stderr.write(t),
        isTTY,
        colour: isTTY && process.stdout.isTTY === true && !noColor && env.TERM !== 'dumb',
        columns: process.stderr.columns ?? 100
    };
}

// The `unikraft-compat` command: dispatches subcommands and reports errors once, at the edge,
// with the documented exit codes (0 pass, 1 fail, 2 usage/configuration, 3 infrastructure).
async function loadCommand(name) {
    switch (name) {
        case 'run':
            return (await import('./chunks/run.js')).runCommand;
        case 'diagnose':
            return (await import('./chunks/diagnose.js')).diagnoseCommand;
        case 'rootfs':
            return (await import('./chunks/rootfs.js')).rootfsCommand;
        case 'matrix':
            return (await import('./chunks/matrix.js')).matrixCommand;
        case 'setup':
            return (await import('./chunks/setup.js')).setupCommand;
        default:
            return undefined;
    }
}
async function main(argv, term = createTerminal()) {
    const [first, ...rest] = argv;
    try {
        if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
            const topic = first === 'help' ? rest[0] : undefined;
            term.out(topic && COMMAND_HELP[topic] ? COMMAND_HELP[topic] : MAIN_HELP);
            return first === undefined ? ExitCode.usage : ExitCode.pass;
        }
        if (first === '--version' || first === '-V') {
            term.out(`${TOOL_NAME} ${TOOL_VERSION}\n`);
            return ExitCode.pass;
        }
        if (first.startsWith('-')) {
            throw new UsageError(first, `Unknown option '${first}'; the first argument is a command (run, diagnose, rootfs, matrix, setup)`);
        }
        const command = await loadCommand(first);
        if (!command) {
            throw new UsageError(first, `Unknown command '${first}'; commands: run, diagnose, rootfs, matrix, setup (see '${TOOL_NAME} --help')`);
        }
        if (rest.includes('--help') || rest.includes('-h')) {
            term.out(COMMAND_HELP[first]);
            return ExitCode.pass;
        }
        return await command(rest, term);
    }
    catch (thrown) {
        const err = toError(asEnvironmentError(thrown));
        const kind = errorKind(err);
        term.err(`${TOOL_NAME}: ${kind === 'bug' ? 'internal error (please report): ' : ''}${describeError(err)}\n`);
        if (err instanceof InterruptedError)
            return interruptedExitCode(err.signal);
        return kind === 'configuration' ? ExitCode.usage : ExitCode.infrastructure;
    }
}

// Entry point of the `unikraft-compat` command.
process.exitCode = await main(process.argv.slice(2));
