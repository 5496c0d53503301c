// Time as an injected effect, so timelines and deadlines are testable.
const systemClock = {
    now: () => performance.now(),
    wallTime: () => new Date(),
    sleep: (ms, signal) => new Promise(resolve => {
        if (signal?.aborted)
            return resolve();
        const t = setTimeout(done, ms);
        function done() {
            clearTimeout(t);
            signal?.removeEventListener('abort', done);
            resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
    })
};

export { systemClock };
