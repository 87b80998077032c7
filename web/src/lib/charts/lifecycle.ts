// Browser-side helpers of the chart component: motion preference, print sizing, the
// "first chart rendered" performance mark the weekly-page benchmark reads.

/** The performance mark set when the first chart of a page load has finished its first render. */
export const FIRST_CHART_MARK = 'pairwise:first-chart';

/** Marks the first chart of this page load (once; later charts and re-renders do nothing). */
export function markFirstChart(): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  if (performance.getEntriesByName(FIRST_CHART_MARK, 'mark').length > 0) return;
  performance.mark(FIRST_CHART_MARK);
}

/** Whether the person asked for less motion. */
export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * Calls `onChange(true)` when the page is about to print (or print media is emulated) and
 * `onChange(false)` after. Answers the function that stops listening.
 */
export function watchPrint(onChange: (printing: boolean) => void): () => void {
  const mq = typeof matchMedia === 'function' ? matchMedia('print') : null;
  const before = () => onChange(true);
  const after = () => onChange(false);
  const change = (e: MediaQueryListEvent) => onChange(e.matches);
  window.addEventListener('beforeprint', before);
  window.addEventListener('afterprint', after);
  mq?.addEventListener('change', change);
  return () => {
    window.removeEventListener('beforeprint', before);
    window.removeEventListener('afterprint', after);
    mq?.removeEventListener('change', change);
  };
}

let queue: Array<() => void | Promise<void>> = [];
let pumping = false;

async function pump() {
  const job = queue.shift();
  if (!job) {
    pumping = false;
    return;
  }
  try {
    await job();
  } finally {
    // Let the browser paint between charts: the first shows without waiting for the rest.
    if (typeof document !== 'undefined' && !document.hidden) requestAnimationFrame(() => setTimeout(pump, 0));
    else setTimeout(pump, 0);
  }
}

/**
 * Runs `job` now if no chart is being drawn, else after the charts before it, one per frame.
 * Answers a function that takes the job back if it has not run yet.
 */
export function inTurn(job: () => void | Promise<void>): () => void {
  queue.push(job);
  if (!pumping) {
    pumping = true;
    void pump();
  }
  return () => {
    queue = queue.filter((j) => j !== job);
  };
}

/**
 * The ECharts set-up, loaded on demand: the page's code and data requests do not wait for it.
 * Call it early (a page's `load`) to fetch it while the data loads.
 */
export function loadECharts(): Promise<typeof import('./echarts')> {
  return import('./echarts');
}
