// Dotted version numbers (QEMU 7.2.19, Unikraft 0.17.0): parsing and ordering, so the
// "new enough?" decisions in setup are one tested comparison instead of string tricks.
/** `8.1.3` -> [8, 1, 3]; `7.2` -> [7, 2, 0]; anything that is not digits and dots -> null. */
function parseVersion(text) {
    const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim());
    if (!m)
        return null;
    return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}
/** Negative when a < b, 0 when equal, positive when a > b. Throws on text that is not a version. */
function compareVersions(a, b) {
    const pa = parseVersion(a);
    const pb = parseVersion(b);
    if (!pa || !pb)
        throw new Error(`not a version: '${pa ? b : a}'`);
    for (let i = 0; i < 3; i++)
        if (pa[i] !== pb[i])
            return pa[i] - pb[i];
    return 0;
}
function versionAtLeast(version, minimum) {
    return compareVersions(version, minimum) >= 0;
}

export { compareVersions as c, parseVersion as p, versionAtLeast as v };
