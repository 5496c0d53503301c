import { stat } from 'node:fs/promises';
import { d as diagnoseFile } from './diagnose2.js';
import 'node:string_decoder';
import { b as badInput } from './errors.js';
import { p as parse, U as UsageError, C as COMMON_OPTIONS } from './args.js';
import 'node:fs';
import 'node:util';
import './inputs.js';

/** `{ "findings": [ { "id", "severity", "line", "evidence", "detail", "hint" } ] }`, indented. */
function formatFindingsJson(findings) {
    const shown = findings.map(f => ({
        id: f.id,
        severity: f.severity,
        line: f.line,
        evidence: f.evidence,
        detail: f.detail,
        hint: f.hint
    }));
    return JSON.stringify({ findings: shown }, null, 2);
}
/**
 * One block per finding for a terminal:
 *   error   loader.missing-library (libssl.so.3) at line 15
 *           hello: error while loading shared libraries: libssl.so.3: cannot open shared object file...
 *           hint: Copy libssl.so.3 and its own dependencies ...
 */
function formatFindingsText(findings) {
    if (findings.length === 0)
        return 'no findings\n';
    const blocks = findings.map(f => {
        const where = f.line === null ? '' : ` at line ${f.line}`;
        const head = `${f.severity.padEnd(7)} ${f.id}${f.detail ? ` (${f.detail})` : ''}${where}`;
        const lines = [head];
        if (f.evidence)
            lines.push(`        ${f.evidence.trim()}`);
        lines.push(`        hint: ${f.hint}`);
        return lines.join('\n');
    });
    return `${blocks.join('\n')}\n`;
}
/** 0 when no error finding remains (allowed ones are notes), else 1. */
function exitCodeFor(findings) {
    return findings.some(f => f.severity === 'error' && !f.allowed) ? 1 : 0;
}

// `unikraft-compat diagnose LOG [--json]`: findings from a console log; exit 1 on an error finding.
async function diagnoseCommand(args, term) {
    const { values, positionals } = parse('diagnose', args, COMMON_OPTIONS, 1);
    const log = positionals[0];
    if (log === undefined)
        throw new UsageError('LOG', "'unikraft-compat diagnose' needs the console log file: unikraft-compat diagnose LOG");
    try {
        if (!(await stat(log)).isFile())
            throw new Error('not a file');
    }
    catch {
        throw badInput('LOG', 'a readable console log file', log);
    }
    const findings = await diagnoseFile(log);
    term.out(values.json ? `${formatFindingsJson(findings)}\n` : formatFindingsText(findings));
    return exitCodeFor(findings);
}

export { diagnoseCommand };
