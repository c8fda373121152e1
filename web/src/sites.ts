// The website monitor in the console: the watched sites with their state,
// paged and filtered on the server (fast with tens of thousands), an
// organisation's scorecard when the list is filtered by one, and one site
// with its findings (each with its fix) and its latency and uptime by hour
// as SVG charts with the numbers beside them, its alerts with their
// incidents and the copies of the page kept as evidence, and the content
// baseline the monitor compares the page with.
import { api, errorBox, go, link, main, postJson, runsIncidents } from './console';
import { clear, formatSize, formatTime, h, readProblem } from './dom';
import { lang, t } from './i18n';

const SVG = 'http://www.w3.org/2000/svg';
const severities = ['critical', 'high', 'medium', 'low', 'info'];

function s(tag: string, attrs: Record<string, string | number>, ...children: (Element | string)[]): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

const field = (id: string, label: string, control: HTMLElement, hint = '') =>
  h('div', { class: 'field' }, h('label', { for: id }, label), hint ? h('p', { class: 'hint' }, hint) : null, control);

function stateBadge(site: any): HTMLElement {
  if (!site.enabled) return h('span', { class: 'badge muted' }, t('site.paused'));
  if (!site.state) return h('span', { class: 'badge muted' }, t('site.unchecked'));
  return site.state.up ? h('span', { class: 'badge up' }, `${t('site.up')} ${site.state.status}`)
    : h('span', { class: 'badge down' }, t('site.down'));
}

function worst(findings: any[]): string {
  for (const sev of severities) if (findings.some((f) => f.severity === sev)) return sev;
  return '';
}

function findingsCell(site: any): HTMLElement | string {
  const findings = site.state?.findings ?? [];
  if (!findings.length) return '';
  const sev = worst(findings);
  return h('span', { class: `badge sev-${sev}` }, `${findings.length} · ${t(`site.sev.${sev}`)}`);
}

// An organisation's sites at a glance: the average score, those down, and
// the findings they share most.
function scorecard(organisation: string, sites: any[]): HTMLElement {
  const checked = sites.filter((x) => x.state);
  // A site that is down has no score: the average is of those that answered.
  const scored = checked.filter((x) => x.state.up);
  const average = scored.length ? Math.round(scored.reduce((sum, x) => sum + x.state.score, 0) / scored.length) : 0;
  const down = checked.filter((x) => !x.state.up).length;
  const counts = new Map<string, number>();
  for (const x of checked) for (const f of x.state.findings) counts.set(f.id, (counts.get(f.id) ?? 0) + 1);
  const common = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  return h('section', { class: 'box', 'aria-labelledby': 'scorecard-title' },
    h('h2', { id: 'scorecard-title' }, `${t('site.scorecard')}: ${organisation}`),
    h('dl', { class: 'facts' },
      h('dt', {}, t('site.scorecard.sites')), h('dd', {}, String(sites.length)),
      h('dt', {}, t('site.scorecard.average')), h('dd', {}, scored.length ? `${average}/100` : '—'),
      h('dt', {}, t('site.scorecard.down')), h('dd', {}, String(down))),
    common.length ? h('table', {}, h('caption', {}, t('site.scorecard.common')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('site.col.finding')), h('th', { scope: 'col' }, t('site.col.sites')))),
      h('tbody', {}, ...common.map(([id, n]) => h('tr', {}, h('td', { class: 'mono' }, id), h('td', { class: 'num' }, String(n)))))) : '');
}

function addForm(): HTMLElement {
  const url = h('input', { id: 'site-url', type: 'text', name: 'url', required: true, spellcheck: 'false', autocomplete: 'off' }) as HTMLInputElement;
  const organisation = h('input', { id: 'site-org', type: 'text', name: 'organisation', autocomplete: 'off' }) as HTMLInputElement;
  const interval = h('input', { id: 'site-interval', type: 'number', name: 'interval_seconds', min: '30', max: '86400', value: '300' }) as HTMLInputElement;
  const keywords = h('input', { id: 'site-keywords', type: 'text', name: 'keywords' }) as HTMLInputElement;
  const result = h('div', { id: 'site-add-result', role: 'status' });
  return h('section', { class: 'box', 'aria-labelledby': 'site-add-title' }, h('h2', { id: 'site-add-title' }, t('site.add.title')),
    h('form', { onsubmit: async (e: Event) => {
      e.preventDefault();
      const list = keywords.value.split(';').map((k) => k.trim()).filter(Boolean);
      const r = await postJson('/api/v1/sites', { url: url.value.trim(), organisation: organisation.value.trim(),
        interval_seconds: Number(interval.value), keywords: list });
      if (!r.ok) { clear(result, errorBox((await readProblem(r)).detail ?? '')); return; }
      go(`/desk/sites?search=${encodeURIComponent(url.value.trim().replace(/^https?:\/\//, ''))}`);
    } }, h('div', { class: 'filters' }, field('site-url', t('site.add.url'), url, t('site.add.url.hint')),
      field('site-org', t('site.add.organisation'), organisation), field('site-interval', t('site.add.interval'), interval),
      field('site-keywords', t('site.add.keywords'), keywords, t('site.add.keywords.hint'))),
    h('button', { class: 'primary', type: 'submit' }, t('site.add.submit'))), result);
}

export async function renderSites(): Promise<void> {
  document.title = t('site.title');
  const params = new URLSearchParams(location.search);
  const query = new URLSearchParams();
  for (const name of ['organisation', 'tag', 'search', 'after']) if (params.get(name)) query.set(name, params.get(name)!);
  // An organisation's sites are few: all of them, for its scorecard.
  if (params.get('organisation')) query.set('limit', '1000');
  const r = await api(`/api/v1/sites?${query}`);
  if (!r.ok) { clear(main, h('h1', {}, t('site.title')), errorBox((await readProblem(r)).detail ?? '')); return; }
  const { items, next_after } = await r.json();
  const input = (id: string, name: string) => h('input', { id, type: 'search', name, value: params.get(name) ?? '', spellcheck: 'false' });
  const filters = h('form', { class: 'filters', role: 'search', onsubmit: (e: Event) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const el of Array.from((e.target as HTMLFormElement).elements) as HTMLInputElement[]) if (el.name && el.value) q.set(el.name, el.value);
    go(`/desk/sites?${q}`);
  } }, field('site-search', t('site.filter.search'), input('site-search', 'search')),
    field('site-filter-org', t('site.filter.organisation'), input('site-filter-org', 'organisation')),
    field('site-tag', t('site.filter.tag'), input('site-tag', 'tag')),
    h('button', { class: 'secondary', type: 'submit' }, t('desk.filter.apply')));
  const next = new URLSearchParams(query);
  if (next_after !== null) next.set('after', String(next_after));
  clear(main, h('h1', {}, t('site.title')), h('p', { class: 'lead' }, t('site.lead')), filters,
    params.get('organisation') ? scorecard(params.get('organisation')!, items) : '',
    items.length ? h('table', { id: 'sites' }, h('caption', { class: 'muted' }, t('site.caption')),
      h('thead', {}, h('tr', {}, ...['url', 'state', 'score', 'time', 'checked', 'organisation', 'findings'].map((c) => h('th', { scope: 'col' }, t(`site.col.${c}`))))),
      h('tbody', {}, ...items.map((x: any) => h('tr', {},
        h('td', { class: 'mono wrap' }, link(`/desk/sites/${x.id}`, x.url)), h('td', {}, stateBadge(x)),
        h('td', { class: 'num' }, x.state?.up ? String(x.state.score) : '—'),
        h('td', { class: 'num' }, x.state?.up ? `${Math.round(x.state.total_ms)} ms` : '—'),
        h('td', { class: 'nowrap' }, x.state ? formatTime(x.state.checked_at, lang()) : '—'),
        h('td', {}, x.organisation ? link(`/desk/sites?organisation=${encodeURIComponent(x.organisation)}`, x.organisation) : '—'),
        h('td', {}, findingsCell(x)))))) :
      h('p', {}, t('site.empty')),
    next_after !== null ? h('p', {}, link(`/desk/sites?${next}`, t('site.next'), { rel: 'next' })) : '',
    runsIncidents() ? addForm() : '');
}

// Latency (p50 and p95) and uptime per hour or day, newest at the right.
function historyChart(history: any[]): HTMLElement {
  const width = 720, height = 200, left = 48, bottom = 28, top = 10;
  const rows = history.slice(-96);
  const max = Math.max(1, ...rows.map((r) => r.p95_ms));
  // At most 24 px an hour, the newest at the right edge.
  const slot = Math.min(24, (width - left) / Math.max(1, rows.length));
  const first = width - slot * rows.length;
  const y = (v: number) => top + (height - top - bottom) * (1 - v / max);
  const label = `${t('site.chart.latency')}: ${rows.map((r) => `${r.start} p50 ${Math.round(r.p50_ms)} ms`).join(', ')}`;
  const latency = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: 'chart' },
    s('line', { x1: left, y1: height - bottom, x2: width, y2: height - bottom, stroke: '#0b0c0c' }),
    s('text', { x: left - 6, y: y(max) + 4, 'text-anchor': 'end', 'font-size': 11 }, `${Math.round(max)} ms`),
    s('text', { x: left - 6, y: height - bottom + 4, 'text-anchor': 'end', 'font-size': 11 }, '0'),
    ...rows.flatMap((r, i) => {
      const x = first + i * slot + 1, w = Math.max(1, slot - 2);
      return [s('rect', { x, y: y(r.p95_ms), width: w, height: height - bottom - y(r.p95_ms), fill: '#b1b4b6' }),
        s('rect', { x, y: y(r.p50_ms), width: w, height: height - bottom - y(r.p50_ms), fill: '#1d70b8' })];
    }));
  const uptimeHeight = 60;
  const uptime = s('svg', { viewBox: `0 0 ${width} ${uptimeHeight}`, role: 'img', class: 'chart',
    'aria-label': `${t('site.chart.uptime')}: ${rows.map((r) => `${r.start} ${Math.round(100 * r.up_checks / Math.max(1, r.checks))}%`).join(', ')}` },
  ...rows.map((r, i) => s('rect', { x: first + i * slot + 1, y: 10, width: Math.max(1, slot - 2), height: 30,
    fill: r.up_checks === r.checks ? '#00703c' : r.up_checks === 0 ? '#d4351c' : '#f47738' })),
  s('text', { x: left - 6, y: 30, 'text-anchor': 'end', 'font-size': 11 }, t('site.chart.up')));
  return h('figure', {}, latency, uptime,
    h('figcaption', {}, h('span', { class: 'key key-p50' }, 'p50'), ' ', h('span', { class: 'key key-p95' }, 'p95'), ' — ', t('site.chart.caption')),
    h('details', {}, h('summary', {}, t('dash.numbers')),
      h('table', {}, h('caption', { class: 'visually-hidden' }, t('site.chart.latency')),
        h('thead', {}, h('tr', {}, ...['start', 'checks', 'up', 'p50', 'p95', 'max'].map((c) => h('th', { scope: 'col' }, t(`site.hist.${c}`))))),
        h('tbody', {}, ...rows.map((r) => h('tr', {}, h('td', { class: 'nowrap' }, formatTime(r.start, lang())), h('td', { class: 'num' }, String(r.checks)),
          h('td', { class: 'num' }, String(r.up_checks)), h('td', { class: 'num' }, String(Math.round(r.p50_ms))),
          h('td', { class: 'num' }, String(Math.round(r.p95_ms))), h('td', { class: 'num' }, String(Math.round(r.max_ms)))))))));
}

export async function renderSite(id: string): Promise<void> {
  const r = await api(`/api/v1/sites/${encodeURIComponent(id)}`);
  if (!r.ok) { clear(main, h('h1', {}, t('site.title')), errorBox((await readProblem(r)).detail ?? '')); return; }
  const x = await r.json();
  document.title = `${x.url} — ${t('site.title')}`;
  const row = (label: string, value: Node | string) => [h('dt', {}, label), h('dd', {}, value)];
  const findings = x.state?.findings ?? [];
  clear(main, h('p', {}, link('/desk/sites', t('site.back'))),
    h('h1', { class: 'mono wrap' }, x.url),
    h('dl', { class: 'facts' },
      ...row(t('site.col.state'), stateBadge(x)),
      ...row(t('site.col.score'), x.state?.up ? `${x.state.score}/100` : '—'),
      ...row(t('site.col.checked'), x.state ? formatTime(x.state.checked_at, lang()) : '—'),
      ...(x.state && !x.state.up ? row(t('site.error'), x.state.error || String(x.state.status)) : []),
      ...(x.state?.down_since ? row(t('site.down_since'), formatTime(x.state.down_since, lang())) : []),
      ...row(t('site.col.organisation'), x.organisation || '—'),
      ...row(t('site.interval'), `${x.interval_seconds} s`),
      ...row(t('site.keywords'), x.keywords.join('; ') || '—'),
      ...row(t('site.tags'), x.tags.join(', ') || '—')),
    h('h2', {}, t('site.findings')),
    findings.length ? h('ul', { id: 'findings', class: 'findings' }, ...findings.map((f: any) => h('li', {},
      h('span', { class: `badge sev-${f.severity}` }, t(`site.sev.${f.severity}`)), ' ', h('span', { class: 'mono' }, f.id), ' ', f.message,
      f.fix ? h('p', { class: 'hint' }, `${t('site.fix')}: ${f.fix}`) : ''))) : h('p', {}, t('site.no_findings')),
    h('h2', {}, t('site.alerts')),
    x.alerts.length ? alertsTable(x.alerts) : h('p', {}, t('site.no_alerts')),
    baselineBox(x),
    h('h2', {}, t('site.history')),
    x.history.length ? historyChart(x.history) : h('p', {}, t('site.no_history')));
}

// Each alert with its incident, and the pages kept as its evidence:
// downloads, never shown here (a defaced page is the attacker's HTML).
function alertsTable(alerts: any[]): HTMLElement {
  return h('table', { id: 'alerts' }, h('caption', { class: 'muted' }, t('site.alerts.caption')),
    h('thead', {}, h('tr', {}, ...['kind', 'state', 'incident', 'opened', 'last_seen', 'evidence'].map((c) => h('th', { scope: 'col' }, t(`site.alerts.${c}`))))),
    h('tbody', {}, ...alerts.map((a) => h('tr', {},
      h('td', {}, t(`site.alert.${a.kind}`)),
      h('td', {}, a.open ? h('span', { class: 'badge down' }, t('site.alerts.open'))
        : h('span', { class: 'badge muted' }, `${t('site.alerts.closed')} ${formatTime(a.closed_at, lang())}`)),
      h('td', {}, link(`/desk/incidents/${a.incident.reference}`, a.incident.reference, { class: 'mono' })),
      h('td', { class: 'nowrap' }, formatTime(a.opened_at, lang())),
      h('td', { class: 'nowrap' }, `${formatTime(a.last_seen_at, lang())} (${a.seen}×)`),
      h('td', {}, a.evidence.length ? h('ul', { class: 'plain' }, ...a.evidence.map((e: any) => h('li', {},
        h('a', { href: e.href, download: `site-evidence-${e.id}.html.txt` }, `${t('site.alerts.page')} ${formatTime(e.captured_at, lang())}`),
        ` — ${formatSize(e.size)}`, h('br', {}), h('span', { class: 'mono muted' }, `sha256 ${e.sha256.slice(0, 16)}…`)))) : '—')))));
}

function baselineBox(x: any): HTMLElement {
  const result = h('div', { role: 'status' });
  const b = x.baseline;
  const reset = runsIncidents() && b ? h('button', { class: 'secondary', type: 'button', id: 'baseline-reset', onclick: async () => {
    if (!confirm(t('site.baseline.confirm'))) return;
    const r = await api(`/api/v1/sites/${x.id}/baseline`, { method: 'DELETE' });
    if (!r.ok) { clear(result, errorBox((await readProblem(r)).detail ?? '')); return; }
    clear(result, h('p', { class: 'notice' }, t('site.baseline.was_reset')));
  } }, t('site.baseline.reset')) : '';
  return h('section', { class: 'box', 'aria-labelledby': 'baseline-title' }, h('h2', { id: 'baseline-title' }, t('site.baseline')),
    b ? h('dl', { class: 'facts' },
      h('dt', {}, t('site.baseline.learned')), h('dd', {}, formatTime(b.learned_at, lang())),
      h('dt', {}, t('site.baseline.title')), h('dd', {}, b.title || '—'),
      h('dt', {}, t('site.baseline.scripts')), h('dd', { class: 'mono' }, [...b.script_hosts, ...b.frame_hosts].join(', ') || '—'),
      h('dt', {}, t('site.baseline.text')), h('dd', {}, b.text_excerpt || '—')) : h('p', {}, t('site.baseline.none')),
    h('p', { class: 'hint' }, t('site.baseline.hint')), reset, result);
}
