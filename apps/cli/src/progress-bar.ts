const WIDTH = 24;

export interface ProgressFigures {
  label: string;
  done: number;
  total: number;
  perSecond: number;
  etaSeconds: number | null;
  note?: string;
}

const number = (n: number): string => Math.round(n).toLocaleString('en-US');

function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? `${minutes}m${Math.ceil(seconds % 60)}s`
    : `${Math.floor(minutes / 60)}h${minutes % 60}m`;
}

export function renderProgress(f: ProgressFigures): string {
  const ratio = f.total > 0 ? Math.min(1, f.done / f.total) : 1;
  const filled = Math.round(ratio * WIDTH);
  const bar = '█'.repeat(filled) + '░'.repeat(WIDTH - filled);
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  return `${f.label} [${bar}] ${percent} ${number(f.done)}/${number(f.total)} events  ${number(f.perSecond)} ev/s  ETA ${duration(f.etaSeconds)}${f.note ? `  ${f.note}` : ''}`;
}

/**
 * A progress line on stderr (stdout stays clean for --json): redrawn in place on a terminal,
 * one line every few seconds otherwise (CI logs, pipes).
 */
export class ProgressBar {
  private lastDrawn = 0;
  private lastLine = '';

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly everyMs = stream.isTTY ? 100 : 2000,
  ) {}

  update(figures: ProgressFigures, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastDrawn < this.everyMs) return;
    this.lastDrawn = now;
    this.lastLine = renderProgress(figures);
    if (this.stream.isTTY) this.stream.write(`\r\x1b[2K${this.lastLine}`);
    else this.stream.write(`${this.lastLine}\n`);
  }

  done(figures: ProgressFigures): void {
    this.update(figures, true);
    if (this.stream.isTTY) this.stream.write('\n');
  }
}

/** Events counted through a fold against a known total: the figures a ProgressBar draws. */
export class FoldMeter {
  private started = Date.now();
  done = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  /** Measures from now (after the setup that should not count against the rate). */
  restart(): void {
    this.started = Date.now();
  }

  figures(): ProgressFigures {
    const seconds = (Date.now() - this.started) / 1000;
    const perSecond = seconds > 0 ? this.done / seconds : 0;
    return {
      label: this.label,
      done: this.done,
      total: this.total,
      perSecond,
      etaSeconds: perSecond > 0 ? (this.total - this.done) / perSecond : null,
    };
  }
}
