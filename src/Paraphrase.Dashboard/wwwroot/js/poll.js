// Live updates without reloading: a task runs now and again after each interval, never twice at once, and pauses
// while the tab is hidden. The task returns false to stop. Returns a function that stops it.

export function poll(task, intervalMs) {
  let stopped = false;
  let running = false;
  let timer = 0;

  async function tick() {
    if (stopped) return;
    if (document.hidden) return; // picked up again by visibilitychange
    running = true;
    let again = true;
    try {
      again = (await task()) !== false;
    } catch {
      // The task shows its own errors; the next tick retries.
    } finally {
      running = false;
    }
    if (again && !stopped) timer = setTimeout(tick, intervalMs);
    else stopped = true;
  }

  function onVisibility() {
    if (!document.hidden && !running && !stopped) {
      clearTimeout(timer);
      tick();
    }
  }

  document.addEventListener("visibilitychange", onVisibility);
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener("visibilitychange", onVisibility);
  };
}
