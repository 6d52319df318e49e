/**
 * A small hand-written SVG line chart (no plotting library) for the Figure 5 plots.
 */

/** One line of a chart. */
export interface Series {
  /** Legend label. */
  readonly label: string;
  /** Stroke colour. */
  readonly color: string;
  /** Points `[x, y]`, x increasing. */
  readonly points: readonly (readonly [number, number])[];
  /** Dash pattern (SVG `stroke-dasharray`), e.g. `'6 4'`. */
  readonly dash?: string;
}

/** A chart's content and axes. */
export interface Chart {
  /** Title above the plot. */
  readonly title: string;
  /** Subtitle (configuration). */
  readonly subtitle?: string;
  /** X axis label. */
  readonly xLabel: string;
  /** Y axis label. */
  readonly yLabel: string;
  /** The lines. */
  readonly series: readonly Series[];
  /** Formats a y tick value. */
  readonly formatY?: (v: number) => string;
  /** Formats an x tick value. */
  readonly formatX?: (v: number) => string;
  /** Explicit x ticks (default: about 8 round values). */
  readonly xTicks?: readonly number[];
  /** Text annotations in data coordinates. */
  readonly notes?: readonly {
    readonly x: number;
    readonly y: number;
    readonly text: string;
    readonly color?: string;
  }[];
}

const WIDTH = 720;
const HEIGHT = 440;
const MARGIN = { left: 84, right: 24, top: 64, bottom: 60 };

function niceStep(range: number, target: number): number {
  const raw = range / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
  return step * mag;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Renders `chart` as a standalone SVG document (linear axes from 0). */
export function renderLineChart(chart: Chart): string {
  const xs = chart.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = chart.series.flatMap((s) => s.points.map((p) => p[1]));
  const xMax = Math.max(...xs);
  const yStep = niceStep(Math.max(...ys) || 1, 5);
  const yMax = Math.ceil((Math.max(...ys) || 1) / yStep) * yStep;
  const xStep = niceStep(xMax, 8);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x: number) => MARGIN.left + (x / xMax) * plotW;
  const py = (y: number) => MARGIN.top + plotH - (y / yMax) * plotH;
  const fy = chart.formatY ?? ((v: number) => String(Number(v.toPrecision(6))));
  const fx = chart.formatX ?? ((v: number) => String(v));
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  out.push(
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="16" font-weight="600">${escapeXml(chart.title)}</text>`,
  );
  if (chart.subtitle) {
    out.push(
      `<text x="${WIDTH / 2}" y="44" text-anchor="middle" fill="#555">${escapeXml(chart.subtitle)}</text>`,
    );
  }
  for (let y = 0; y <= yMax + 1e-9; y += yStep) {
    out.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${py(y).toFixed(1)}" y2="${py(y).toFixed(1)}" stroke="#e5e5e5"/>`,
    );
    out.push(
      `<text x="${MARGIN.left - 8}" y="${(py(y) + 4).toFixed(1)}" text-anchor="end" fill="#333">${escapeXml(fy(y))}</text>`,
    );
  }
  const xTicks =
    chart.xTicks ?? Array.from({ length: Math.floor(xMax / xStep + 1e-9) + 1 }, (_, i) => i * xStep);
  for (const x of xTicks) {
    out.push(
      `<line x1="${px(x).toFixed(1)}" x2="${px(x).toFixed(1)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#f0f0f0"/>`,
    );
    out.push(
      `<text x="${px(x).toFixed(1)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle" fill="#333">${escapeXml(fx(x))}</text>`,
    );
  }
  out.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
  );
  out.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 16}" text-anchor="middle" fill="#111">${escapeXml(chart.xLabel)}</text>`,
  );
  out.push(
    `<text transform="translate(20 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#111">${escapeXml(chart.yLabel)}</text>`,
  );
  chart.series.forEach((s) => {
    const d = s.points
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p[0]).toFixed(1)} ${py(p[1]).toFixed(1)}`)
      .join(' ');
    out.push(
      `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`,
    );
  });
  chart.series.forEach((s, i) => {
    const y = MARGIN.top + 16 + i * 20;
    const x = MARGIN.left + 16;
    out.push(
      `<line x1="${x}" x2="${x + 28}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`,
    );
    out.push(`<text x="${x + 36}" y="${y + 4}" fill="#111">${escapeXml(s.label)}</text>`);
  });
  for (const note of chart.notes ?? []) {
    out.push(
      `<text x="${px(note.x).toFixed(1)}" y="${py(note.y).toFixed(1)}" text-anchor="end" fill="${note.color ?? '#333'}">${escapeXml(note.text)}</text>`,
    );
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
