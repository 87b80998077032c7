// Browser-side helpers of the chart component: motion preference, print sizing, charts drawn in
// turn, the "first chart rendered" performance mark the weekly-page benchmark reads.

/** The performance mark set when the first chart of a page load is on screen. */
export const FIRST_CHART_MARK = 'pairwise:first-chart';

let marking = false;

/**
 * Marks the first chart of this page load (once; later charts and re-renders do nothing). Called
 * when ECharts has drawn it, or its preview (the server's drawing) is decoded, which is before the
 * browser paints that frame: the mark is set in the task after, once the frame is on screen.
 */
export function markFirstChart(): void {
  if (marking || typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  if (performance.getEntriesByName(FIRST_CHART_MARK, 'mark').length > 0) return;
  marking = true;
  const mark = () => performance.mark(FIRST_CHART_MARK);
  if (typeof requestAnimationFrame === 'function' && !document.hidden) requestAnimationFrame(() => setTimeout(mark, 0));
  else setTimeout(mark, 0);
}

/** Whether the person asked for less motion. */
export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

let queue: Array<() => void> = [];
let pumping = false;

function pump() {
  const job = queue.shift();
  if (!job) {
    pumping = false;
    return;
  }
  try {
    job();
  } finally {
    // Let the browser paint between charts: the first shows without waiting for the rest.
    if (typeof document !== 'undefined' && !document.hidden) requestAnimationFrame(() => setTimeout(pump, 0));
    else setTimeout(pump, 0);
  }
}

/**
 * Runs `job` now if no chart is being drawn, else after the charts before it, one per frame
 * (while printing: at once). Answers a function that takes the job back if it has not run yet.
 */
export function inTurn(job: () => void): () => void {
  if (isPrinting()) {
    job();
    return () => {};
  }
  queue.push(job);
  if (!pumping) {
    pumping = true;
    pump();
  }
  return () => {
    queue = queue.filter((j) => j !== job);
  };
}

// Printing: one set of listeners for the page, so a chart made while printing knows it.
let printing = false;
let listening = false;
const printWatchers = new Set<(printing: boolean) => void>();

function setPrinting(p: boolean) {
  if (p === printing) return;
  printing = p;
  // Charts still waiting their turn are drawn now: the paper needs every one of them.
  if (p) for (let job = queue.shift(); job; job = queue.shift()) job();
  for (const watcher of [...printWatchers]) watcher(p);
}

function listenForPrint() {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  const mq = typeof matchMedia === 'function' ? matchMedia('print') : null;
  printing = mq?.matches ?? false;
  window.addEventListener('beforeprint', () => setPrinting(true));
  window.addEventListener('afterprint', () => setPrinting(false));
  mq?.addEventListener('change', (e) => setPrinting(e.matches));
}

/** Whether the page is being printed (or print media is emulated). */
export function isPrinting(): boolean {
  listenForPrint();
  return printing;
}

/**
 * Calls `onChange(true)` when the page is about to print (or print media is emulated) and
 * `onChange(false)` after. Answers the function that stops listening.
 */
export function watchPrint(onChange: (printing: boolean) => void): () => void {
  listenForPrint();
  printWatchers.add(onChange);
  return () => {
    printWatchers.delete(onChange);
  };
}
