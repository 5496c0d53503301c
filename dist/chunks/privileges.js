async function detectPrivileges(runner) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (isRoot)
        return { isRoot, hasSudo: false };
    try {
        const r = await runner.run(['sudo', '-n', 'true'], { timeoutMs: 10_000 });
        return { isRoot, hasSudo: r.code === 0 };
    }
    catch {
        return { isRoot, hasSudo: false };
    }
}
/** Prefixes `sudo -n` when not root. */
function privileged(argv, p) {
    return p.isRoot ? [...argv] : ['sudo', '-n', ...argv];
}

export { detectPrivileges as d, privileged as p };
