const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Progress on stderr: a spinner with a percentage on a TTY, finished lines everywhere. */
export class Progress {
  private frame = 0;
  private readonly tty = process.stderr.isTTY === true;

  update(label: string, fraction: number): void {
    if (!this.tty) return;
    this.frame = (this.frame + 1) % FRAMES.length;
    const percent = Math.floor(Math.min(1, Math.max(0, fraction)) * 100);
    process.stderr.write(`\r\x1b[2K${FRAMES[this.frame]} ${label} ${percent}%`);
  }

  line(text: string): void {
    if (this.tty) process.stderr.write('\r\x1b[2K');
    process.stderr.write(`${text}\n`);
  }
}
