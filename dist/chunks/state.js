import { c as group, e as error, w as warning, i as info, d as debug, f as saveState, h as getState } from './core.js';

// The one way text reaches the Actions log as plain output. The runner reads a line as a workflow
// command when, after leading blanks, it starts with `::` (`::add-mask::`, `::stop-commands::`,
// `::warning::`...), or when it holds `##[` anywhere (the older form); see actions/runner,
// ActionCommand.TryParseV2 and TryParse. User-controlled text (paths, commands, app names, console
// lines) must never become one: a zero-width space (U+200B, not a blank to .NET's TrimStart) goes
// before a leading `::` and inside every `##[`, so the line reads the same and means nothing.
const ZWSP = '\u200b';
function escapeLogText(text) {
    return text
        .split(/(\r\n|\r|\n)/)
        .map(part => {
        if (part === '\r\n' || part === '\r' || part === '\n')
            return part;
        const safe = part.split('##[').join(`##${ZWSP}[`);
        return /^\s*::/.test(safe) ? safe.replace(/^(\s*)::/, `$1${ZWSP}::`) : safe;
    })
        .join('');
}

// The engine's Logger backed by @actions/core: groups fold in the log, warnings become annotations.
function createActionsLogger() {
    return {
        // Commands (debug, warning, error, group) escape their data; plain output goes through escapeLogText.
        debug: m => debug(m),
        info: m => info(escapeLogText(m)),
        warning: m => warning(m),
        error: m => error(m),
        group: (name, fn) => group(name, fn)
    };
}

// What main leaves for the post step (GITHUB_STATE), in one place.
const KEY = 'unikraft-compat';
function saveMainState(state) {
    saveState(KEY, JSON.stringify(state));
}
/** Set by main once it has uploaded everything itself. */
function markUploaded() {
    saveState(`${KEY}-uploaded`, 'true');
}
function loadMainState() {
    const text = getState(KEY);
    let state;
    try {
        state = text ? { persist: [], ...JSON.parse(text) } : null;
    }
    catch {
        state = null;
    }
    return { state, uploaded: getState(`${KEY}-uploaded`) === 'true' };
}

export { createActionsLogger as c, escapeLogText as e, loadMainState as l, markUploaded as m, saveMainState as s };
