import { median } from '../stats.js';
import type { CompileTimes } from './compile-time.js';

/** Per-round throughputs (operations or rows per second) for each target of one workload. */
export interface WorkloadResult {
  readonly id: string;
  readonly title: string;
  readonly ops: number;
  readonly unit: string;
  readonly perTarget: ReadonlyMap<string, readonly number[]>;
  /** W8 only: peak RSS above the baseline, MB, per round. */
  readonly rssMb?: ReadonlyMap<string, readonly number[]>;
}

export const BASELINE = 'raw pg';
/** The second baseline: raw pg with named prepared statements and W5 as unnest arrays. */
export const PREPARED = 'raw pg prepared';

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));

/** Target ÷ a baseline (raw pg unless named), on medians; undefined when either is missing. */
export function ratio(w: WorkloadResult, target: string, baseline = BASELINE): number | undefined {
  const base = w.perTarget.get(baseline);
  const mine = w.perTarget.get(target);
  return base?.length && mine?.length ? median(mine) / median(base) : undefined;
}

/** The markdown table: medians with min–max, and each target's ratio to raw pg and to raw pg prepared. */
export function markdownTable(results: readonly WorkloadResult[], targets: readonly string[]): string {
  const ratios = [
    ...targets.filter((t) => t !== BASELINE).map((t) => [t, BASELINE] as const),
    ...targets.filter((t) => t !== BASELINE && t !== PREPARED).map((t) => [t, PREPARED] as const),
  ];
  const head = `| workload | ${targets.map((t) => `${t} median (min–max)`).join(' | ')} | ${ratios.map(([t, b]) => `${t} ÷ ${b}`).join(' | ')} |`;
  const rule = `|---|${targets.map(() => '---:').join('|')}|${ratios.map(() => '---:').join('|')}|`;
  const lines = [head, rule];
  for (const w of results) {
    const cells = targets.map((t) => {
      const values = w.perTarget.get(t);
      if (!values?.length) return 'n/a';
      return `${fmt(median(values))} (${fmt(Math.min(...values))}–${fmt(Math.max(...values))})`;
    });
    const shown = ratios.map(([t, b]) => {
      const r = ratio(w, t, b);
      return r === undefined ? 'n/a' : `${r.toFixed(2)}×`;
    });
    lines.push(`| ${w.id} ${w.title} (${w.ops.toLocaleString('en-US')} ${w.unit}) | ${cells.join(' | ')} | ${shown.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** W8's memory line: median peak RSS above baseline per target. */
export function rssLine(w: WorkloadResult): string {
  const parts = [...(w.rssMb ?? new Map<string, number[]>())].map(
    ([t, v]) => `${t} ${median(v).toFixed(1)} MB (${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)})`,
  );
  return `W8 peak RSS above baseline (median, min–max over rounds): ${parts.join('; ')}. Target: under 100 MB for pewit.`;
}

/** The compile-time lines. */
export function compileLines(c: CompileTimes): string {
  const us = (ms: number, digits = 1) => `${(ms * 1_000).toFixed(digits)} µs`;
  return [
    `| measure | time |`,
    `|---|---:|`,
    `| first build + \`.sql()\` in the process (cold: JIT and caches empty, one sample) | ${us(c.firstMs, 0)} |`,
    `| building the query (median per op) | ${us(c.buildMs)} |`,
    `| first \`.sql()\` of a new query object (compiled; model column lists and tables from the fragment cache) | ${us(c.compileMs)} |`,
    `| \`.sql()\` again on the same query object (cached) | ${us(c.cachedMs, 2)} |`,
  ].join('\n');
}
