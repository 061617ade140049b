import { BASELINE, ratio, type WorkloadResult } from './report.js';

const COLORS: Record<string, string> = { pewit: '#2f7d32', Kysely: '#1565c0', Drizzle: '#c77700' };
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Grouped horizontal bars of each target's throughput ÷ raw pg, with the 1.0× line. Plain SVG, no dependencies. */
export function ratioChart(results: readonly WorkloadResult[], targets: readonly string[]): string {
  const others = targets.filter((t) => t !== BASELINE);
  const bar = 14;
  const group = others.length * bar + 14;
  const left = 260;
  const width = 760;
  const plot = width - left - 70;
  const top = 40;
  const height = top + results.length * group + 40;
  const max = Math.max(1.25, ...results.flatMap((w) => others.map((t) => ratio(w, t) ?? 0))) * 1.05;
  const x = (r: number) => left + (r / max) * plot;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    '<title>pewit, Kysely and Drizzle throughput as a ratio of raw pg, per workload</title>',
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${left}" y="18" font-size="14" font-weight="bold">Throughput ÷ raw pg (median of rounds; higher is better)</text>`,
  ];
  others.forEach((t, i) => {
    out.push(`<rect x="${left + i * 110}" y="25" width="10" height="10" fill="${COLORS[t] ?? '#777'}"/>`);
    out.push(`<text x="${left + i * 110 + 14}" y="34">${escapeXml(t)}</text>`);
  });
  results.forEach((w, g) => {
    const y0 = top + g * group;
    out.push(`<text x="${left - 8}" y="${y0 + (others.length * bar) / 2 + 4}" text-anchor="end">${escapeXml(`${w.id} ${w.title}`.slice(0, 42))}</text>`);
    others.forEach((t, i) => {
      const r = ratio(w, t);
      const y = y0 + i * bar;
      if (r === undefined) {
        out.push(`<text x="${left + 4}" y="${y + bar - 3}" fill="#999">${escapeXml(t)}: n/a</text>`);
        return;
      }
      out.push(`<rect x="${left}" y="${y}" width="${(x(r) - left).toFixed(1)}" height="${bar - 2}" fill="${COLORS[t] ?? '#777'}"/>`);
      out.push(`<text x="${(x(r) + 4).toFixed(1)}" y="${y + bar - 3}">${r.toFixed(2)}×</text>`);
    });
  });
  const bottom = top + results.length * group;
  out.push(`<line x1="${x(1).toFixed(1)}" y1="${top - 4}" x2="${x(1).toFixed(1)}" y2="${bottom}" stroke="#c62828" stroke-dasharray="4 3"/>`);
  out.push(`<text x="${x(1).toFixed(1)}" y="${bottom + 14}" text-anchor="middle" fill="#c62828">1.0× = raw pg</text>`);
  out.push(`<line x1="${left}" y1="${top - 4}" x2="${left}" y2="${bottom}" stroke="#333"/>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
