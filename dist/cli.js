#!/usr/bin/env node
async function main(_argv) {
    return 0;
}

// Entry point of the `unikraft-compat` command.
process.exitCode = await main(process.argv.slice(2));
