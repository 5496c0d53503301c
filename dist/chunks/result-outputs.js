function resultOutputs(r) {
    const ms = (v) => (v === null ? '' : String(Math.round(v)));
    return {
        verdict: r.verdict,
        findings: JSON.stringify(r.findings),
        'unikraft-version': r.unikraft?.version ?? '',
        'boot-ms': ms(r.timeline.bootMs),
        'ready-ms': ms(r.timeline.readyMs)
    };
}

export { resultOutputs };
