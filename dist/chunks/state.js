import { g as group, e as error, w as warning, i as info, d as debug, s as saveState, a as getState } from './core.js';

// The engine's Logger backed by @actions/core: groups fold in the log, warnings become annotations.
function createActionsLogger() {
    return {
        debug: m => debug(m),
        info: m => info(m),
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

export { createActionsLogger as c, loadMainState as l, markUploaded as m, saveMainState as s };
