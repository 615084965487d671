import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { h } from './element.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface LocationStock {
  location: string;
  available: number;
  reserved: number;
}

/**
 * A stacked bar per location (available and reserved units), with the same numbers as text for
 * screen readers: the chart is an image with a label, the table beside it holds the data.
 */
export function stockChart(sku: string, rows: readonly LocationStock[]): HTMLElement {
  const label = `${sku} by location: ${rows.map((r) => `${r.location} ${r.available} available, ${r.reserved} reserved`).join('; ')}`;
  const canvas = h('canvas', { role: 'img', 'aria-label': label });
  const figure = h('figure', { class: 'chart' }, canvas, h('figcaption', { class: 'muted' }, `Units of ${sku} per location`));
  // Chart.js measures its parent: draw once the figure is in the page.
  requestAnimationFrame(() => {
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: rows.map((r) => r.location),
        datasets: [
          { label: 'Available', data: rows.map((r) => r.available), backgroundColor: '#1f5fbf' },
          { label: 'Reserved', data: rows.map((r) => r.reserved), backgroundColor: '#d98a00' },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    figure.setAttribute('data-drawn', 'true');
  });
  return figure;
}
