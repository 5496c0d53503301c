import { g as getInput, s as setOutput, e as error, w as warning, n as notice, a as summary, i as info, b as setFailed } from './chunks/core.js';
import { createHash } from 'node:crypto';
import { readFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { r as resolveCheckOptions } from './chunks/resolve.js';
import { t as toError, a as asEnvironmentError, d as describeError, e as errorKind } from './chunks/errors.js';
import { s as shippedKernelStoreDir } from './chunks/version.js';
import { s as saveMainState, m as markUploaded, e as escapeLogText, c as createActionsLogger } from './chunks/state.js';
import { artifactName } from './chunks/artifacts.js';
import { I as INPUTS } from './chunks/inputs.js';
import 'os';
import 'crypto';
import 'fs';
import 'path';
import 'http';
import 'https';
import 'net';
import 'tls';
import 'events';
import 'assert';
import 'util';
import 'node:assert';
import 'node:net';
import 'node:http';
import 'node:stream';
import 'node:buffer';
import 'node:util';
import 'node:querystring';
import 'node:events';
import 'node:diagnostics_channel';
import 'node:tls';
import 'node:zlib';
import 'node:perf_hooks';
import 'node:util/types';
import 'node:worker_threads';
import 'node:url';
import 'node:async_hooks';
import 'node:console';
import 'node:dns';
import 'string_decoder';
import 'child_process';
import 'timers';
import 'node:fs';
import './chunks/kernel-store.js';
import './chunks/find-program.js';
import './chunks/index.js';
import 'process';
import 'buffer';
import './chunks/version-compare.js';
import './chunks/sources.js';
import './chunks/memory.js';

// The one reader of the action's inputs: every input of the table, as the raw strings the engine
// resolves (the CLI hands the engine the same shape).
function readActionInputs() {
    const raw = {};
    for (const input of INPUTS) {
        const value = getInput(input.name, { trimWhitespace: !input.multiline });
        if (value.trim() !== '')
            raw[input.name] = value;
    }
    return raw;
}

// The action's main step: read inputs, run the engine, then report to GitHub (outputs, annotations,
// job summary, artifacts). Errors are reported once, here, with the input at fault named.
/**
 * What runs a check, loaded once the inputs are known to be good: a wrong input is reported without
 * loading the engine, which keeps the step's cold start short.
 */
async function loadEngine() {
    const [clock, commands, check, annotations, summary, outputs, kvm, vm, artifacts, setup] = await Promise.all([
        import('./chunks/clock.js'),
        import('./chunks/command-runner.js'),
        import('./chunks/run-check.js'),
        import('./chunks/annotations.js'),
        import('./chunks/job-summary.js'),
        import('./chunks/result-outputs.js'),
        import('./chunks/kvm-setup.js'),
        import('./chunks/vm.js'),
        import('./chunks/artifacts.js'),
        import('./chunks/tool-cache-adapter.js')
    ]);
    return {
        systemClock: clock.systemClock,
        nodeCommandRunner: commands.nodeCommandRunner,
        runCheck: check.runCheck,
        RUN_FILES: check.RUN_FILES,
        planAnnotations: annotations.planAnnotations,
        renderJobSummary: summary.renderJobSummary,
        resultOutputs: outputs.resultOutputs,
        enableKvmForRunner: kvm.enableKvmForRunner,
        stopAllVms: vm.stopAllVms,
        uploadRunArtifacts: artifacts.uploadRunArtifacts,
        createActionsSetupDeps: setup.createActionsSetupDeps
    };
}
/** How long a signal waits for the engine to write result.json before the step ends anyway. */
const SIGNAL_GRACE_MS = 3000;
async function runMain() {
    const logger = createActionsLogger();
    // A cancelled job sends SIGINT, then SIGTERM: stop the VM and any build, let the engine write
    // result.json (verdict error, kind interrupted; it starts nothing new), then end as the signal asks
    // (listening took its default action away; a swallowed signal would run the whole check on). The
    // wait for the engine is bounded: the runner kills the step 7.5 s after SIGINT. The post step
    // uploads the logs.
    const abort = new AbortController();
    let mainEnded = () => { };
    const ended = new Promise(resolve => (mainEnded = resolve));
    let stopAllVms = async () => { };
    const onSignal = (signal) => {
        if (!abort.signal.aborted)
            abort.abort(signal);
        void stopAllVms()
            .then(() => Promise.race([ended, new Promise(r => setTimeout(r, SIGNAL_GRACE_MS).unref())]))
            .finally(() => {
            if (process.listenerCount(signal) === 0)
                process.kill(process.pid, signal);
        });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
        const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
        const options = await resolveCheckOptions(readActionInputs(), {
            cwd: workspace,
            shippedKernelStore: shippedKernelStoreDir()
        });
        const name = artifactName({
            app: options.appId,
            version: options.unikraftVersion,
            guest: options.guest,
            arch: options.arch,
            override: options.artifactName ?? undefined
        });
        const outDir = join(process.env.RUNNER_TEMP || tmpdir(), 'unikraft-compat', runDirName(name));
        saveMainState({ outDir, artifactName: name, uploadLogs: options.uploadLogs, persist: [] });
        const engine = await loadEngine();
        stopAllVms = engine.stopAllVms;
        const { systemClock, nodeCommandRunner, runCheck, RUN_FILES, planAnnotations, renderJobSummary, resultOutputs } = engine;
        const { enableKvmForRunner, uploadRunArtifacts, createActionsSetupDeps } = engine;
        const kvm = await enableKvmForRunner({ runner: nodeCommandRunner, logger });
        if (kvm.attempted)
            logger.info(`KVM: ${kvm.detail}`);
        const setup = createActionsSetupDeps(logger);
        const run = await runCheck(options, outDir, {
            logger,
            runner: nodeCommandRunner,
            clock: systemClock,
            cacheDir: join(process.env.RUNNER_TOOL_CACHE || join(tmpdir(), 'tool-cache'), 'unikraft-compat'),
            tempDir: process.env.RUNNER_TEMP || undefined,
            ...setup,
            installMissing: true,
            kernelFallback: 'error',
            signal: abort.signal
        });
        // Interrupted: result.json is written; nothing more is reported, the signal ends the step.
        if (abort.signal.aborted)
            return;
        saveMainState({ outDir, artifactName: name, uploadLogs: options.uploadLogs, persist: run.persist });
        const { result } = run;
        for (const [k, v] of Object.entries(resultOutputs(result)))
            setOutput(k, v);
        setOutput('result-file', run.resultFile);
        const consolePath = join(outDir, RUN_FILES.console);
        // No boot (preflight stopped it, setup failed): no console log to point at.
        if (await exists(consolePath))
            setOutput('console-log', consolePath);
        const rel = (p) => (p ? relative(workspace, p) : undefined);
        const text = async (p) => p ? readFile(p, 'utf8').catch(() => undefined) : undefined;
        const { annotations, overflow } = planAnnotations(result.findings, {
            dockerfile: rel(options.dockerfile),
            kraftfile: rel(options.kraftfile),
            configFile: rel(options.configFile),
            dockerfileText: await text(options.dockerfile),
            options
        });
        for (const a of annotations) {
            const props = { title: a.title, file: a.file, startLine: a.startLine, startColumn: a.startColumn };
            if (a.level === 'error')
                error(a.message, props);
            else if (a.level === 'warning')
                warning(a.message, props);
            else
                notice(a.message, props);
        }
        const consoleLog = await text(consolePath);
        await summary.addRaw(renderJobSummary(result, { consoleLog, overflow }), true).write();
        if (options.uploadLogs) {
            const uploaded = await uploadRunArtifacts({ name, dir: outDir, files: result.artifacts }, logger);
            if (uploaded) {
                setOutput('artifact-id', String(uploaded.id));
                if (uploaded.url)
                    setOutput('artifact-url', uploaded.url);
            }
            markUploaded();
        }
        info(escapeLogText(result.summary));
        if (result.verdict !== 'pass' && options.failOn === 'error') {
            setFailed([result.summary, result.error?.hint].filter(Boolean).join(' '));
        }
    }
    catch (thrown) {
        const err = toError(asEnvironmentError(thrown));
        const kind = errorKind(err);
        setFailed(kind === 'bug'
            ? `unikraft-compat internal error (please report): ${err.stack ?? err.message}`
            : describeError(err));
    }
    finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        mainEnded();
    }
}
/**
 * The run directory's name: the artifact name when it is a plain one, else made filesystem-safe and
 * short (an `artifact-name` can be any length and hold any character), kept unique by a hash.
 */
function runDirName(artifact) {
    const safe = artifact
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .replace(/^[.-]+/, '')
        .slice(0, 80);
    if (safe === artifact)
        return safe;
    return `${safe || 'run'}-${createHash('sha256').update(artifact).digest('hex').slice(0, 12)}`;
}
async function exists(path) {
    return access(path).then(() => true, () => false);
}

// Entry point of the action's main step.
await runMain();
