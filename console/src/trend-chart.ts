import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { h } from './element.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface TrendSeries {
  label: string;
  values: readonly number[];
  color: string;
}

export interface TrendChartSpec {
  id: string;
  title: string;
  kind: 'bar' | 'line';
  /** The label of each point, and the heading of the table's first column. */
  labels: readonly string[];
  labelHeading: string;
  series: readonly TrendSeries[];
  /** Bars of several series on top of each other. */
  stacked?: boolean;
}

/**
 * One trend as a chart with its numbers as a table beside it: the canvas is an image whose label
 * sums the series up, and the table (open on demand) holds every point for screen readers and
 * for anyone who wants the figures.
 */
export function trendChart(spec: TrendChartSpec): HTMLElement {
  const totals = spec.series.map((s) => `${s.label} ${s.values.reduce((a, b) => a + b, 0)}`).join(', ');
  const canvas = h('canvas', { role: 'img', 'aria-label': `${spec.title}: ${totals} in total; the table below lists every value` });
  const table = h('table', { class: 'list' },
    h('caption', {}, spec.title),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, spec.labelHeading), ...spec.series.map((s) => h('th', { scope: 'col' }, s.label)))),
    h('tbody', {}, ...spec.labels.map((label, i) =>
      h('tr', {}, h('th', { scope: 'row' }, label), ...spec.series.map((s) => h('td', { class: 'num' }, s.values[i] ?? 0))),
    )),
  );
  const figure = h('figure', { class: 'chart', id: spec.id },
    h('figcaption', {}, h('h2', {}, spec.title)),
    h('div', { class: 'canvas-box' }, canvas),
    h('details', {}, h('summary', {}, 'Show the numbers'), table),
  );
  // Chart.js measures its parent: draw once the figure is in the page.
  requestAnimationFrame(() => {
    new Chart(canvas, {
      type: spec.kind,
      data: {
        labels: [...spec.labels],
        datasets: spec.series.map((s) => ({ label: s.label, data: [...s.values], backgroundColor: s.color, borderColor: s.color })),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { display: spec.series.length > 1 } },
        scales: { x: { stacked: spec.stacked ?? false }, y: { stacked: spec.stacked ?? false, beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    figure.setAttribute('data-drawn', 'true');
  });
  return figure;
}
