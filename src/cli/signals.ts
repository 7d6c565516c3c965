/**
 * Ctrl-C and SIGTERM for long-running commands. The handlers go in before anything boots: a
 * signal during boot must still end in a clean stop, and one arriving before they are installed
 * would kill the process mid-write. A second signal exits at once.
 */
export interface StopSignals {
  /** Resolves with the first signal. */
  readonly stopped: Promise<NodeJS.Signals>;
  /** Removes the handlers (and the keep-alive timer). */
  dispose(): void;
}

export function onStopSignals(onSecond: (signal: NodeJS.Signals) => void): StopSignals {
  let signals = 0;
  let resolveStop: (signal: NodeJS.Signals) => void = () => {};
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    resolveStop = resolve;
  });
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      onSecond(signal);
      process.exit(130);
    }
    resolveStop(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Keeps the process alive while it waits for a signal even if nothing else holds the loop open.
  const keepAlive = setInterval(() => {}, 1 << 30);
  return {
    stopped,
    dispose() {
      clearInterval(keepAlive);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
