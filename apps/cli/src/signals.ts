/**
 * First Ctrl-C (SIGINT) or SIGTERM: cancel the run — stop taking tests, cancel running ones,
 * stop every supervisor, save and print what finished. Second: forced stop — stop every
 * supervisor at once (they kill their process groups) and exit 130 without waiting for more.
 * What it does is told through `notice` (the live view's, while it runs).
 */
export function installInterruptHandler(
  controller: AbortController,
  forceStop: () => Promise<unknown>,
  notice: (text: string) => void,
): { readonly interrupted: boolean; dispose(): void } {
  let count = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      notice(`\n${signal}: stopping; press Ctrl-C again to force`);
      controller.abort(new Error(`interrupted by ${signal}`));
      return;
    }
    notice(`\n${signal}: forcing stop`);
    const timer = setTimeout(() => process.exit(130), 5000);
    void forceStop().finally(() => {
      clearTimeout(timer);
      process.exit(130);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get interrupted() {
      return count > 0;
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
