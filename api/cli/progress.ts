// A progress bar on stderr for long imports: percent of bytes, rows, rows/s and ETA.
export class Progress {
  private readonly started = performance.now();
  private last = 0;
  private shown = false;

  constructor(
    private readonly label: string,
    private readonly totalBytes: number,
    /** Files smaller than this show no bar. */
    private readonly minBytes = 512 * 1024,
  ) {}

  update(bytes: number, rows: number) {
    if (this.totalBytes < this.minBytes) return;
    const now = performance.now();
    if (now - this.last < 250) return;
    this.last = now;
    const seconds = (now - this.started) / 1000;
    const fraction = Math.min(1, bytes / this.totalBytes);
    const rate = rows / Math.max(seconds, 0.001);
    const eta = fraction > 0 ? (seconds / fraction) * (1 - fraction) : 0;
    const width = 28;
    const filled = Math.round(fraction * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const text = `${this.label} ${bar} ${(fraction * 100).toFixed(0).padStart(3)}%  ${rows.toLocaleString('en')} rows  ${Math.round(rate).toLocaleString('en')} rows/s  ETA ${eta.toFixed(0)} s`;
    if (process.stderr.isTTY) process.stderr.write(`\r${text}\u001b[K`);
    else if (!this.shown || Math.floor(seconds) % 5 === 0) process.stderr.write(`${text}\n`);
    this.shown = true;
  }

  done() {
    if (this.shown && process.stderr.isTTY) process.stderr.write('\r\u001b[K');
  }
}
