// The analysts' dashboard: incidents opened and resolved per week, by RSIT
// class and by organisation, and how often the service levels were met, as
// SVG charts (presentation attributes only: the CSP allows no inline style)
// with the numbers in a table beside each chart for screen readers.
import { api, errorBox, main } from './console';
import { clear, h, readProblem } from './dom';
import { t } from './i18n';

const SVG = 'http://www.w3.org/2000/svg';
interface Count { key: string; count: number }

function s(tag: string, attrs: Record<string, string | number>, ...children: (Element | string)[]): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

function numbers(caption: string, head: string[], rows: (string | number)[][]): HTMLElement {
  return h('details', {}, h('summary', {}, t('dash.numbers')),
    h('table', {}, h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, String(c))))))));
}

// Opened and resolved side by side for each week.
function weeklyChart(opened: Count[], resolved: Count[]): HTMLElement {
  const weeks = [...new Set([...opened, ...resolved].map((c) => c.key))].sort();
  const get = (list: Count[], week: string) => list.find((c) => c.key === week)?.count ?? 0;
  const max = Math.max(1, ...weeks.map((w) => Math.max(get(opened, w), get(resolved, w))));
  const width = 640, height = 220, left = 36, bottom = 40, top = 10;
  const slot = (width - left) / Math.max(1, weeks.length);
  const bar = Math.min(36, Math.max(2, slot / 2 - 4));
  const y = (v: number) => top + (height - top - bottom) * (1 - v / max);
  const label = `${t('dash.weekly')}: ${weeks.map((w) => `${w} ${get(opened, w)}/${get(resolved, w)}`).join(', ')}`;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: 'chart' },
    s('line', { x1: left, y1: height - bottom, x2: width, y2: height - bottom, stroke: '#0b0c0c' }),
    s('text', { x: left - 6, y: y(max) + 4, 'text-anchor': 'end', 'font-size': 11 }, String(max)),
    s('text', { x: left - 6, y: height - bottom + 4, 'text-anchor': 'end', 'font-size': 11 }, '0'),
    ...weeks.flatMap((w, i) => {
      const x = left + i * slot + 2;
      return [
        s('rect', { x, y: y(get(opened, w)), width: bar, height: height - bottom - y(get(opened, w)), fill: '#1d70b8' }),
        s('rect', { x: x + bar + 2, y: y(get(resolved, w)), width: bar, height: height - bottom - y(get(resolved, w)), fill: '#00703c' }),
        s('text', { x: x + bar, y: height - bottom + 14, 'text-anchor': 'middle', 'font-size': 10 }, w.slice(5)),
      ];
    }));
  return h('figure', {}, svg,
    h('figcaption', {}, h('span', { class: 'key key-opened' }, t('dash.opened')), ' ', h('span', { class: 'key key-resolved' }, t('dash.resolved'))),
    numbers(t('dash.weekly'), [t('dash.week'), t('dash.opened'), t('dash.resolved')], weeks.map((w) => [w, get(opened, w), get(resolved, w)])));
}

function barsChart(title: string, counts: Count[]): HTMLElement {
  if (!counts.length) return h('p', { class: 'muted' }, t('dash.none'));
  const max = Math.max(1, ...counts.map((c) => c.count));
  const row = 26, labelWidth = 260, width = 640;
  const svg = s('svg', { viewBox: `0 0 ${width} ${counts.length * row + 8}`, role: 'img', class: 'chart',
    'aria-label': `${title}: ${counts.map((c) => `${c.key} ${c.count}`).join(', ')}` },
    ...counts.flatMap((c, i) => [
      s('text', { x: labelWidth - 8, y: i * row + 18, 'text-anchor': 'end', 'font-size': 13 }, c.key.length > 34 ? `${c.key.slice(0, 33)}…` : c.key),
      s('rect', { x: labelWidth, y: i * row + 5, width: Math.max(2, (width - labelWidth - 40) * c.count / max), height: row - 10, fill: '#1d70b8' }),
      s('text', { x: labelWidth + Math.max(2, (width - labelWidth - 40) * c.count / max) + 6, y: i * row + 18, 'font-size': 13 }, String(c.count)),
    ]));
  return h('figure', {}, svg, numbers(title, [t('dash.item'), t('dash.count')], counts.map((c) => [c.key, c.count])));
}

function share(part: number, total: number): string { return total ? `${Math.round((100 * part) / total)}%` : '—'; }

export async function renderDashboard(): Promise<void> {
  document.title = t('dash.title');
  const r = await api('/api/v1/stats/incidents?weeks=12');
  if (!r.ok) { clear(main, h('h1', {}, t('dash.title')), errorBox((await readProblem(r)).detail ?? '')); return; }
  const st = await r.json();
  clear(main, h('h1', {}, t('dash.title')), h('p', { class: 'lead' }, t('dash.lead')),
    h('ul', { class: 'figures' },
      h('li', {}, h('strong', { id: 'open-now' }, String(st.open_now)), h('span', {}, t('dash.open'))),
      h('li', {}, h('strong', { id: 'overdue-now', class: st.overdue_now ? 'late' : '' }, String(st.overdue_now)), h('span', {}, t('dash.overdue'))),
      h('li', {}, h('strong', { id: 'response-in-time' }, share(st.first_response.in_time, st.first_response.total)), h('span', {}, t('dash.response'))),
      h('li', {}, h('strong', { id: 'resolution-in-time' }, share(st.resolution.in_time, st.resolution.total)), h('span', {}, t('dash.resolution')))),
    h('h2', {}, t('dash.weekly')), weeklyChart(st.opened_per_week, st.resolved_per_week),
    h('h2', {}, t('dash.by_class')), barsChart(t('dash.by_class'), st.by_class),
    h('h2', {}, t('dash.by_organisation')), barsChart(t('dash.by_organisation'), st.by_organisation));
}
