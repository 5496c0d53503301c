import { mkdir, writeFile, rename, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { v as validateCheckResult } from './result.js';

// Reading and writing result.json. Writes go through a temporary file and a rename, so a reader
// (the post step, the matrix job) never sees half a result.
const RESULT_FILE_NAME = 'result.json';
/** Pretty-printed with a final newline: the file is read by people as often as by programs. */
function serializeResult(result) {
    return `${JSON.stringify(result, null, 2)}\n`;
}
async function writeResultFile(file, result) {
    await writeTextAtomic(file, serializeResult(result));
}
/** Reads and validates one result file; an unreadable or foreign file is a clear problem, not a throw. */
async function loadResultFile(file) {
    let text;
    try {
        text = await readFile(file, 'utf8');
    }
    catch (err) {
        return { ok: false, problems: [`cannot read: ${err.message}`] };
    }
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (err) {
        return { ok: false, problems: [`not JSON: ${err.message}`] };
    }
    return validateCheckResult(value);
}
async function writeTextAtomic(file, text) {
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
}

export { RESULT_FILE_NAME as R, writeResultFile as a, loadResultFile as l, writeTextAtomic as w };
