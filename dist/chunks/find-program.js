import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, resolve, delimiter, join } from 'node:path';

// Where a program lives, the way spawn will find it: checked before anything runs, so a typo (a
// `command:` probe, QEMU missing) is named up front.
function isExecutableFile(path) {
    try {
        accessSync(path, constants.X_OK);
        return statSync(path).isFile();
    }
    catch {
        return false;
    }
}
/**
 * The path spawn would run for `program`: itself when it contains a slash (relative to `cwd`),
 * else the first executable match on PATH. null when there is none.
 */
function findProgram(program, env = process.env, cwd = process.cwd()) {
    if (program === '')
        return null;
    if (program.includes('/')) {
        const path = isAbsolute(program) ? program : resolve(cwd, program);
        return isExecutableFile(path) ? path : null;
    }
    for (const dir of (env.PATH ?? '').split(delimiter)) {
        if (dir === '')
            continue;
        const path = join(dir, program);
        if (isExecutableFile(path))
            return path;
    }
    return null;
}

export { findProgram as f };
