import { getJson } from '../api-client.js';
import { h } from '../element.js';
import { trendChart } from '../trend-chart.js';

interface Trends {
  time_zone: string;
  days: number;
  orders_per_hour: { hour: string; count: number }[];
  sla_breaches_per_day: { day: string; count: number }[];
  flags_per_day: { day: string; count: number; by_category: { risk: number; stock: number; operations: number } }[];
  stockouts_projected: { day: string; count: number }[];
}

const DAY_CHOICES = [7, 14, 30, 90];

/** The hour's start as the store's clock reads it: "May 20, 10 PM". */
function hourLabel(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString('en-US', { timeZone, month: 'short', day: 'numeric', hour: 'numeric' });
}

/** A YYYY-MM-DD day as "May 20" (the API already bucketed it in the store's zone). */
const dayLabel = (day: string) => new Date(`${day}T12:00:00Z`).toLocaleDateString('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' });

/** Orders per hour, SLA breaches and flags per day, and the stock-outs the forecast expects. */
export async function renderTrendsPage(root: HTMLElement, daysParam: string): Promise<void> {
  const asked = Number(daysParam);
  const days = DAY_CHOICES.includes(asked) ? asked : 14;
  const t = await getJson<Trends>(`/api/trends?days=${days}`);
  const pastDays = t.sla_breaches_per_day.map((d) => dayLabel(d.day));
  root.replaceChildren(
    h('h1', {}, 'Trends'),
    h('p', { class: 'muted' },
      `Hours and days in ${t.time_zone}. Show `,
      ...DAY_CHOICES.flatMap((n, i) => [
        i > 0 ? ', ' : '',
        n === days ? h('strong', { 'aria-current': 'true' }, `${n} days`) : h('a', { href: `#/trends?days=${n}` }, `${n} days`),
      ]),
      '.',
    ),
    h('div', { class: 'charts' },
      trendChart({
        id: 'trend-orders',
        title: 'Orders per hour, last 48 hours',
        kind: 'line',
        labelHeading: 'Hour',
        labels: t.orders_per_hour.map((o) => hourLabel(o.hour, t.time_zone)),
        series: [{ label: 'Orders', values: t.orders_per_hour.map((o) => o.count), color: '#1f5fbf' }],
      }),
      trendChart({
        id: 'trend-sla',
        title: `SLA breaches per day, last ${t.days} days`,
        kind: 'bar',
        labelHeading: 'Day',
        labels: pastDays,
        series: [{ label: 'SLA breaches', values: t.sla_breaches_per_day.map((d) => d.count), color: '#a3261f' }],
      }),
      trendChart({
        id: 'trend-flags',
        title: `Flags per day by category, last ${t.days} days`,
        kind: 'bar',
        labelHeading: 'Day',
        labels: t.flags_per_day.map((d) => dayLabel(d.day)),
        stacked: true,
        series: [
          { label: 'Risk', values: t.flags_per_day.map((d) => d.by_category.risk), color: '#7a3db8' },
          { label: 'Stock', values: t.flags_per_day.map((d) => d.by_category.stock), color: '#d98a00' },
          { label: 'Operations', values: t.flags_per_day.map((d) => d.by_category.operations), color: '#2c7a5b' },
        ],
      }),
      trendChart({
        id: 'trend-stockouts',
        title: `Variants projected to run out, next ${t.days} days`,
        kind: 'bar',
        labelHeading: 'Day',
        labels: t.stockouts_projected.map((d) => dayLabel(d.day)),
        series: [{ label: 'Variants running out', values: t.stockouts_projected.map((d) => d.count), color: '#d98a00' }],
      }),
    ),
  );
}
