/**
 * Preloaded (`--import`) into every server process spawn-instance.ts starts: when the test process
 * that started it dies without cleaning up (killed, crashed), the server is re-parented and exits by
 * itself within a second, so no stray server outlives a test run.
 */
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 1_000).unref();
