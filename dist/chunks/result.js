import 'node:fs';
import 'node:path';
import 'node:url';

// The JSON Schema (draft 2020-12) of result.json, written by hand next to the CheckResult type.
// result-validate.ts interprets this very object, so the published schema and the check the matrix
// reader applies cannot drift apart. Literals only here: result.ts re-exports this module.
const nullable = (schema) => ({
    anyOf: [schema, { type: 'null' }]
});
const ms = { type: 'number', minimum: 0 };
const nullableMs = { type: ['number', 'null'], minimum: 0 };
const verdict = { enum: ['pass', 'fail', 'error'] };
const checkResultJsonSchema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/unikraft-compat/unikraft-compat/blob/main/docs/result-schema.md',
    title: 'unikraft-compat result',
    description: 'The result of one unikraft-compat check (result.json). Readers ignore unknown fields.',
    type: 'object',
    required: [
        'schemaVersion',
        'verdict',
        'summary',
        'app',
        'guest',
        'accel',
        'accelReason',
        'unikraft',
        'qemu',
        'kraftkit',
        'probes',
        'findings',
        'timeline',
        'ports',
        'vm',
        'baseline',
        'rootfs',
        'artifacts',
        'error',
        'startedAt',
        'durationMs',
        'tool'
    ],
    properties: {
        schemaVersion: { const: 1 },
        verdict,
        summary: { type: 'string' },
        app: {
            type: 'object',
            required: ['name', 'dir'],
            properties: { name: { type: 'string', minLength: 1 }, dir: { type: 'string' } }
        },
        matrixCell: {
            type: 'object',
            required: ['app', 'version'],
            properties: { app: { type: 'string', minLength: 1 }, version: { type: 'string', minLength: 1 } }
        },
        guest: { enum: ['unikraft', 'linux'] },
        accel: { enum: ['kvm', 'tcg', null] },
        accelReason: { type: ['string', 'null'] },
        unikraft: nullable({
            type: 'object',
            required: ['version', 'codename', 'commit'],
            properties: {
                version: { type: 'string', minLength: 1 },
                codename: { type: ['string', 'null'] },
                commit: { type: ['string', 'null'] }
            }
        }),
        qemu: nullable({ $ref: '#/$defs/version' }),
        kraftkit: nullable({ $ref: '#/$defs/version' }),
        probes: { type: 'array', items: { $ref: '#/$defs/probe' } },
        findings: { $ref: '#/$defs/findings' },
        timeline: {
            type: 'object',
            required: ['setupMs', 'buildMs', 'launchMs', 'bootMs', 'bannerMs', 'readyMs', 'exitMs'],
            properties: {
                setupMs: nullableMs,
                buildMs: nullableMs,
                launchMs: nullableMs,
                bootMs: nullableMs,
                bannerMs: nullableMs,
                readyMs: nullableMs,
                exitMs: nullableMs
            }
        },
        ports: {
            type: 'object',
            propertyNames: { pattern: '^[1-9][0-9]{0,4}$' },
            additionalProperties: { type: 'integer', minimum: 1, maximum: 65535 }
        },
        vm: nullable({
            type: 'object',
            required: ['reason', 'qemuExit', 'guestExit', 'debugExit'],
            properties: {
                reason: {
                    enum: [
                        'exited',
                        'crashed',
                        'panicked',
                        'stopped',
                        'killed',
                        'deadline',
                        'boot-timeout',
                        'qemu-error'
                    ]
                },
                qemuExit: { type: ['integer', 'null'] },
                guestExit: { type: ['integer', 'null'] },
                debugExit: { enum: ['halt', 'crash', null] }
            }
        }),
        baseline: nullable({
            type: 'object',
            required: ['guest', 'verdict', 'findings', 'differential'],
            properties: {
                guest: { const: 'linux' },
                verdict,
                findings: { $ref: '#/$defs/findings' },
                differential: {
                    type: 'object',
                    required: ['kind', 'summary'],
                    properties: { kind: { type: 'string', minLength: 1 }, summary: { type: 'string' } }
                }
            }
        }),
        rootfs: nullable({
            type: 'object',
            required: ['kind', 'entries', 'bytes'],
            properties: {
                kind: { type: 'string' },
                entries: { type: 'integer', minimum: 0 },
                bytes: { type: 'integer', minimum: 0 }
            }
        }),
        artifacts: { type: 'array', items: { type: 'string' } },
        error: nullable({
            type: 'object',
            required: ['kind', 'message'],
            properties: {
                kind: { enum: ['configuration', 'infrastructure', 'inconclusive', 'interrupted', 'bug'] },
                message: { type: 'string' },
                hint: { type: 'string' }
            }
        }),
        startedAt: {
            type: 'string',
            pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'
        },
        durationMs: ms,
        tool: {
            type: 'object',
            required: ['name', 'version'],
            properties: { name: { const: 'unikraft-compat' }, version: { type: 'string' } }
        }
    },
    $defs: {
        version: {
            type: 'object',
            required: ['version'],
            properties: { version: { type: 'string', minLength: 1 } }
        },
        probe: {
            type: 'object',
            required: ['kind', 'target', 'passed', 'attempts', 'durationMs', 'evidence'],
            properties: {
                kind: { type: 'string', minLength: 1 },
                target: { type: 'string' },
                passed: { type: 'boolean' },
                inconclusive: { type: 'boolean' },
                attempts: { type: 'integer', minimum: 0 },
                durationMs: ms,
                evidence: {
                    type: 'object',
                    properties: {
                        sent: { type: 'string' },
                        received: { type: 'string' },
                        atMs: ms,
                        note: { type: 'string' }
                    }
                }
            }
        },
        findings: { type: 'array', items: { $ref: '#/$defs/finding' } },
        finding: {
            type: 'object',
            required: ['id', 'severity', 'line', 'evidence', 'detail', 'hint', 'source'],
            properties: {
                id: { type: 'string', pattern: '^[a-z][a-z0-9_.-]*$' },
                severity: { enum: ['error', 'warning', 'note'] },
                line: { type: ['integer', 'null'], minimum: 1 },
                evidence: { type: 'string' },
                detail: { type: ['string', 'null'] },
                hint: { type: 'string' },
                source: { enum: ['console', 'qemu', 'preflight', 'probe', 'baseline', 'setup'] },
                data: {
                    type: 'object',
                    additionalProperties: {
                        anyOf: [
                            { type: ['string', 'number', 'boolean', 'null'] },
                            { type: 'array', items: { type: 'string' } }
                        ]
                    }
                },
                allowed: { type: 'boolean' }
            }
        }
    }
};

// The literal, not result.ts's constant: result.ts re-exports this module (an import cycle).
const RESULT_SCHEMA_VERSION$1 = checkResultJsonSchema.properties.schemaVersion.const;
const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$defs']);
const KEYWORDS = new Set([
    'type',
    'const',
    'enum',
    'properties',
    'required',
    'additionalProperties',
    'propertyNames',
    'items',
    'minimum',
    'maximum',
    'minLength',
    'pattern',
    'anyOf',
    '$ref'
]);
const MAX_PROBLEMS = 20;
/** Checks a parsed result.json; the problems name the JSON path, the rule and what was there. */
function validateCheckResult(value) {
    const foreign = foreignReason(value);
    if (foreign)
        return { ok: false, problems: [foreign] };
    const problems = validateAgainst(checkResultJsonSchema, value);
    if (problems.length > 0)
        return { ok: false, problems: problems.slice(0, MAX_PROBLEMS) };
    return { ok: true, result: value };
}
/** Says plainly when the file is not ours at all, or from another schema version, before details. */
function foreignReason(value) {
    if (!isObject(value))
        return `not a unikraft-compat result: the file holds ${show(value)}, not an object`;
    const version = value.schemaVersion;
    const tool = isObject(value.tool) ? value.tool.name : undefined;
    if (version === undefined) {
        return tool === 'unikraft-compat'
            ? 'a unikraft-compat result without schemaVersion (written before results were versioned)'
            : 'not a unikraft-compat result: no schemaVersion and no tool.name "unikraft-compat"';
    }
    if (typeof version === 'number' && Number.isInteger(version) && version !== RESULT_SCHEMA_VERSION$1) {
        return version > RESULT_SCHEMA_VERSION$1
            ? `schemaVersion ${version} comes from a newer unikraft-compat; this one reads version ${RESULT_SCHEMA_VERSION$1}: update it`
            : `schemaVersion ${version} is older than the version ${RESULT_SCHEMA_VERSION$1} this tool reads`;
    }
    return null;
}
/** Validates `value` against `schema` (whose `$defs` resolve local `$ref`s). */
function validateAgainst(schema, value) {
    const problems = [];
    check(schema, value, '', schema, problems);
    return problems;
}
function check(schema, value, path, root, out) {
    const at = path === '' ? '(root)' : path;
    for (const key of Object.keys(schema)) {
        if (!KEYWORDS.has(key) && !ANNOTATIONS.has(key))
            throw new Error(`schema keyword '${key}' not supported`);
    }
    if (typeof schema.$ref === 'string') {
        check(resolveRef(root, schema.$ref), value, path, root, out);
    }
    if (Array.isArray(schema.anyOf)) {
        const branches = schema.anyOf.map(s => {
            const sub = [];
            check(s, value, path, root, sub);
            return sub;
        });
        if (!branches.some(b => b.length === 0)) {
            // The branch whose type fits tells the real story; otherwise list the accepted types.
            const fitting = branches.filter(b => !b.some(p => p.startsWith(`${at}: must be `)));
            if (fitting.length > 0)
                out.push(...fitting[0]);
            else
                out.push(`${at}: must be ${schema.anyOf.map(b => describeType(b, root)).join(' or ')}, got ${show(value)}`);
        }
    }
    if ('const' in schema && !Object.is(schema.const, value)) {
        out.push(`${at}: must be ${JSON.stringify(schema.const)}, got ${show(value)}`);
        return;
    }
    if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
        out.push(`${at}: must be one of ${schema.enum.map(v => JSON.stringify(v)).join(', ')}, got ${show(value)}`);
        return;
    }
    if (schema.type !== undefined) {
        const types = Array.isArray(schema.type) ? schema.type : [schema.type];
        if (!types.some(t => hasType(value, t))) {
            out.push(`${at}: must be ${types.join(' or ')}, got ${show(value)}`);
            return;
        }
    }
    if (typeof value === 'number') {
        if (typeof schema.minimum === 'number' && value < schema.minimum) {
            out.push(`${at}: must be at least ${schema.minimum}, got ${value}`);
        }
        if (typeof schema.maximum === 'number' && value > schema.maximum) {
            out.push(`${at}: must be at most ${schema.maximum}, got ${value}`);
        }
    }
    if (typeof value === 'string') {
        if (typeof schema.minLength === 'number' && value.length < schema.minLength) {
            out.push(`${at}: must not be empty`);
        }
        if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
            out.push(`${at}: must match ${schema.pattern}, got ${show(value)}`);
        }
    }
    if (Array.isArray(value) && schema.items !== undefined) {
        value.forEach((item, i) => check(schema.items, item, `${path}/${i}`, root, out));
    }
    if (isObject(value))
        checkObject(schema, value, path, at, root, out);
}
function checkObject(schema, value, path, at, root, out) {
    const props = (schema.properties ?? {});
    for (const key of (schema.required ?? [])) {
        if (!(key in value))
            out.push(`${at}: missing required field '${key}'`);
    }
    for (const [key, v] of Object.entries(value)) {
        const child = `${path}/${escapePointer(key)}`;
        if (schema.propertyNames !== undefined)
            check(schema.propertyNames, key, `${child} (name)`, root, out);
        if (key in props)
            check(props[key], v, child, root, out);
        else if (schema.additionalProperties === false)
            out.push(`${at}: unexpected field '${key}'`);
        else if (isObject(schema.additionalProperties))
            check(schema.additionalProperties, v, child, root, out);
    }
}
function resolveRef(root, ref) {
    const m = /^#\/\$defs\/([A-Za-z0-9_-]+)$/.exec(ref);
    const defs = (root.$defs ?? {});
    if (!m || !(m[1] in defs))
        throw new Error(`schema $ref '${ref}' not resolvable`);
    return defs[m[1]];
}
function hasType(value, type) {
    switch (type) {
        case 'null':
            return value === null;
        case 'boolean':
            return typeof value === 'boolean';
        case 'string':
            return typeof value === 'string';
        case 'number':
            return typeof value === 'number' && Number.isFinite(value);
        case 'integer':
            return typeof value === 'number' && Number.isInteger(value);
        case 'array':
            return Array.isArray(value);
        case 'object':
            return isObject(value);
        default:
            throw new Error(`schema type '${type}' not supported`);
    }
}
function describeType(schema, root) {
    if (typeof schema.$ref === 'string')
        return describeType(resolveRef(root, schema.$ref), root);
    if (schema.type !== undefined)
        return Array.isArray(schema.type) ? schema.type.join(' or ') : String(schema.type);
    if ('const' in schema)
        return JSON.stringify(schema.const);
    return 'a value';
}
function isObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function escapePointer(key) {
    return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
function show(value) {
    if (value === undefined)
        return 'nothing';
    if (Array.isArray(value))
        return 'an array';
    if (isObject(value))
        return 'an object';
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Bumped on a breaking change only (a field removed, renamed, retyped, or its meaning changed).
 * Adding a field is not breaking: readers ignore fields they do not know.
 */
const RESULT_SCHEMA_VERSION = 1;
/** Fills the VM part of the timeline from the runner's own (all ms since launch). */
function timelineFromVm(phases, vm) {
    return {
        ...phases,
        bootMs: vm?.firstOutputMs ?? null,
        bannerMs: vm?.bannerMs ?? null,
        readyMs: vm?.readyMs ?? null,
        exitMs: vm?.exitMs ?? null
    };
}
function vmSummaryFrom(vm) {
    return { reason: vm.reason, qemuExit: vm.qemuExit, guestExit: vm.guestExit, debugExit: vm.debugExit };
}
/** JSON object keys are strings: `{ 6379: 40123 }` -> `{ "6379": 40123 }`, sorted by guest port. */
function portsToJson(ports) {
    const out = {};
    for (const guest of Object.keys(ports)
        .map(Number)
        .sort((a, b) => a - b)) {
        out[String(guest)] = ports[guest];
    }
    return out;
}
/** An error finding that no allow-list accepted: these decide a `fail`. */
function isBlockingFinding(f) {
    return f.severity === 'error' && f.allowed !== true;
}
/** The finding that best names why a run failed: the first blocking one. */
function mainFinding(findings) {
    return findings.find(isBlockingFinding) ?? null;
}
/** `Unikraft 0.17.0 (Calypso)`, `the Linux baseline`, or `Unikraft` when the banner never came. */
function describeGuest(r) {
    if (r.guest === 'linux')
        return 'the Linux baseline';
    if (r.unikraft)
        return `Unikraft ${r.unikraft.version}${r.unikraft.codename ? ` (${r.unikraft.codename})` : ''}`;
    const asked = r.matrixCell?.version;
    return asked ? `Unikraft ${asked}` : 'Unikraft';
}
/**
 * The one-sentence `summary`: what ran where, and the reason when it did not pass. The pipeline may
 * write its own; this keeps the wording the same across the action, the CLI and the matrix.
 */
function summarize(r) {
    const where = describeGuest(r);
    const accel = r.accel ? ` under ${r.accel.toUpperCase()}` : '';
    if (r.verdict === 'error' && r.error?.kind === 'inconclusive') {
        return `${r.app.name} could not be judged on ${where}${accel}: ${firstSentence(r.error.message)}`;
    }
    if (r.verdict === 'error') {
        const msg = r.error ? firstSentence(r.error.message) : 'for an unknown reason';
        return `The check of ${r.app.name} could not be carried out: ${msg}`;
    }
    if (r.verdict === 'pass') {
        const n = r.probes.length;
        const ready = r.timeline.readyMs !== null ? `, ready ${formatMs(r.timeline.readyMs)} after launch` : '';
        const probes = n === 0 ? 'no probes' : `${n}/${n} probe${n === 1 ? '' : 's'} passed`;
        return `${r.app.name} passed on ${where}${accel}: ${probes}${ready}.`;
    }
    const main = mainFinding(r.findings);
    const failed = r.probes.find(p => !p.passed);
    let why;
    if (main)
        why = `${main.id}${main.detail ? ` (${main.detail})` : ''}`;
    else if (failed)
        why = `probe ${failed.target} failed`;
    else
        why = 'no probe passed';
    const gap = r.baseline ? `; ${r.baseline.differential.summary.replace(/\.$/, '')}` : '';
    return `${r.app.name} failed on ${where}${accel}: ${why}${gap}.`;
}
function firstSentence(text) {
    const line = text.split('\n')[0].trim();
    return /[.!?]$/.test(line) ? line : `${line}.`;
}
/** `812 ms`, `4.2 s`, `2 min 5 s`: short and exact enough for a report. */
function formatMs(ms) {
    if (Math.round(ms) < 1000)
        return `${Math.round(ms)} ms`;
    if (ms < 60_000)
        return `${(ms / 1000).toFixed(1)} s`;
    const total = Math.round(ms / 1000);
    return `${Math.floor(total / 60)} min ${total % 60} s`;
}

export { RESULT_SCHEMA_VERSION as R, vmSummaryFrom as a, describeGuest as d, formatMs as f, mainFinding as m, portsToJson as p, summarize as s, timelineFromVm as t, validateCheckResult as v };
