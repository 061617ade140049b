import { dim, green, interactive } from './style.js';

/**
 * A one-line progress bar: redrawn in place with `\r` on a terminal, one plain
 * line per step otherwise (a log file should not fill up with carriage returns).
 */
export function progressBar(label: string, total: number, width = 30) {
  return {
    update(done: number): void {
      const filled = Math.round((done / total) * width);
      const percent = String(Math.round((done / total) * 100)).padStart(3);
      if (interactive) {
        const bar = green('█'.repeat(filled)) + dim('░'.repeat(width - filled));
        process.stdout.write(`\r  ${label} ${bar} ${percent}% ${done}/${total}`);
        if (done === total) process.stdout.write('\n');
      } else {
        console.log(`  ${label} ${percent}% ${done}/${total}`);
      }
    },
  };
}
