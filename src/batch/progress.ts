/** One self-updating progress line on stderr, only when stderr is a terminal. */
export interface ProgressState {
  done: number;
  total: number;
  failed: number;
  skipped: number;
  startedMs: number;
  /** Bytes of the inputs done (and of those skipped by --resume), and of all inputs: the ETA
   *  goes by bytes, since the batch takes the largest files first. */
  bytesDone?: number;
  bytesSkipped?: number;
  bytesTotal?: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function progressLine(p: ProgressState, nowMs: number): string {
  const elapsed = (nowMs - p.startedMs) / 1000;
  const processed = p.done - p.skipped;
  const rate = elapsed > 0 ? processed / elapsed : 0;
  let eta = '?';
  const workBytes = (p.bytesDone ?? 0) - (p.bytesSkipped ?? 0);
  if (p.bytesTotal && workBytes > 0 && elapsed > 0) eta = formatDuration((p.bytesTotal - (p.bytesDone ?? 0)) / (workBytes / elapsed));
  else if (rate > 0) eta = formatDuration((p.total - p.done) / rate);
  const pct = p.total ? Math.floor((100 * p.done) / p.total) : 100;
  return `${p.done}/${p.total} (${pct}%) · ${rate.toFixed(2)} files/s · ETA ${eta} · ${p.failed} failed${p.skipped ? ` · ${p.skipped} resumed` : ''}`;
}

export class Progress {
  private timer: NodeJS.Timeout | null = null;
  private shown = false;

  constructor(
    private readonly state: ProgressState,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    readonly enabled: boolean = !!process.stderr.isTTY,
  ) {}

  start(): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => this.render(), 250);
    this.timer.unref();
    this.render();
  }

  render(): void {
    if (!this.enabled) return;
    const cols = this.stream.columns || 100;
    this.stream.write(`\r\x1b[K${progressLine(this.state, performance.now()).slice(0, cols - 1)}`);
    this.shown = true;
  }

  /** Print a whole line above the progress line. */
  log(line: string): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.stream.write(line + '\n');
    if (this.enabled && this.timer) this.render();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
