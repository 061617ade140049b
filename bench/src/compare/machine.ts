import { cpus, loadavg, totalmem } from 'node:os';

/** One line of machine facts for the report. */
export function machineFacts(postgres: string, where: string): string {
  const cpu = cpus();
  return [
    `CPU: ${cpu[0]?.model.trim() ?? 'unknown'}, ${cpu.length} cores`,
    `RAM: ${(totalmem() / 1024 ** 3).toFixed(1)} GB`,
    `load average at start: ${loadavg()[0]?.toFixed(1)}`,
    `Node ${process.version}`,
    `PostgreSQL ${postgres} (${where})`,
  ].join('; ');
}
