// The store of indicators in the console: ask whether a value is listed,
// browse and filter what the desk holds, import a feed or a partner's file,
// download feeds by TLP, and open one indicator to see its sources and what
// it correlates with (reports, incidents, neighbours under the same domain
// or in the same network).
import { api, errorBox, go, link, main } from './console';
import { clear, formatTime, h, readProblem } from './dom';
import { lang, t } from './i18n';

const kinds = ['domain', 'url', 'ipv4', 'ipv6', 'cidr', 'email', 'md5', 'sha1', 'sha256', 'sha512'];
const sourceKinds = ['feed', 'partner', 'report', 'incident', 'monitor'];
const tlps = ['clear', 'green', 'amber', 'amber+strict', 'red'];
const tlpClass = (tlp: string) => `tlp tlp-${tlp.replace('TLP:', '').replace('+', '-').toLowerCase()}`;

function select(id: string, name: string, options: string[], chosen: string, label: (o: string) => string, any = true): HTMLSelectElement {
  return h('select', { id, name },
    ...(any ? [h('option', { value: '' }, t('ind.any'))] : []),
    ...options.map((o) => h('option', { value: o, selected: o === chosen }, label(o)))) as HTMLSelectElement;
}

const field = (id: string, label: string, control: HTMLElement, hint = '') =>
  h('div', { class: 'field' }, h('label', { for: id }, label), hint ? h('p', { class: 'hint' }, hint) : null, control);

// "Is it listed?": the answer a resolver gets, in words.
function lookupForm(): HTMLElement {
  const value = h('input', { id: 'lookup-value', type: 'text', name: 'value', autocomplete: 'off', spellcheck: 'false' }) as HTMLInputElement;
  const answer = h('div', { id: 'lookup-answer', role: 'status' });
  return h('section', { class: 'box', 'aria-labelledby': 'lookup-title' }, h('h2', { id: 'lookup-title' }, t('ind.lookup.title')),
    h('form', { class: 'inline-form', onsubmit: async (e: Event) => {
      e.preventDefault();
      const r = await api(`/api/v1/lookup?value=${encodeURIComponent(value.value.trim())}`);
      const body = await r.json();
      if (!r.ok) { clear(answer, h('p', { class: 'error-summary' }, body.detail ?? '')); return; }
      if (body.listed) {
        clear(answer, h('p', { class: 'notice listed' }, `${t('ind.lookup.listed')} `,
          link(`/desk/indicators/${body.match.id}`, body.match.indicator), ` — ${t(`ind.reason.${body.match.reason}`)}, `,
          h('span', { class: tlpClass(body.match.tlp) }, body.match.tlp)));
      } else if (body.warninglist) {
        clear(answer, h('p', { class: 'notice' }, `${t('ind.lookup.benign')} ${body.warninglist}`));
      } else {
        clear(answer, h('p', { class: 'notice' }, `${t('ind.lookup.unlisted')} (${body.kind}: ${body.canonical})`));
      }
    } }, field('lookup-value', t('ind.lookup.label'), value, t('ind.lookup.hint')),
    h('button', { class: 'primary', type: 'submit' }, t('ind.lookup.submit'))), answer);
}

function importForm(shown?: HTMLElement): HTMLElement {
  const file = h('input', { id: 'import-file', type: 'file', name: 'file', required: true }) as HTMLInputElement;
  const format = select('import-format', 'format', ['auto', 'plain', 'csv', 'stix', 'misp'], 'auto', (o) => t(`ind.format.${o}`), false);
  const source = h('input', { id: 'import-source', type: 'text', name: 'source', maxlength: '200' }) as HTMLInputElement;
  const kind = select('import-kind', 'source_kind', ['feed', 'partner', 'monitor', 'incident'], 'feed', (o) => t(`ind.source.${o}`), false);
  const tlp = select('import-tlp', 'tlp', tlps, 'amber', (o) => `TLP:${o.toUpperCase()}`, false);
  const result = shown ?? h('div', { id: 'import-result', role: 'status' });
  return h('section', { class: 'box', 'aria-labelledby': 'import-title' }, h('h2', { id: 'import-title' }, t('ind.import.title')),
    h('p', { class: 'hint' }, t('ind.import.lead')),
    h('form', { onsubmit: async (e: Event) => {
      e.preventDefault();
      const chosen = file.files?.[0];
      if (!chosen) { clear(result, h('p', { class: 'error-summary' }, t('ind.import.nofile'))); return; }
      const q = new URLSearchParams({ format: format.value, source_kind: kind.value, tlp: tlp.value, source: source.value.trim() || chosen.name });
      clear(result, h('p', { class: 'muted' }, t('ind.import.working')));
      const r = await api(`/api/v1/indicators/import?${q}`, { method: 'POST', headers: { 'Content-Type': chosen.type || 'text/plain' }, body: chosen });
      const body = r.ok ? await r.json() : await readProblem(r);
      if (!r.ok) { clear(result, errorBox(body.detail ?? '')); return; }
      clear(result, h('p', { class: 'notice' }, t('ind.import.done').replace('{read}', String(body.read)).replace('{added}', String(body.added))
        .replace('{updated}', String(body.updated)).replace('{warninglisted}', String(body.warninglisted)).replace('{rejected}', String(body.rejected_count))),
        body.rejected.length ? h('ul', { class: 'rejections' }, ...body.rejected.slice(0, 20).map((x: any) => h('li', {}, h('span', { class: 'mono' }, x.where), ` ${x.reason}`))) : '');
      // The list again, with what came in; the summary stays in view.
      await renderIndicators(result);
      result.scrollIntoView({ block: 'center' });
    } }, h('div', { class: 'filters' }, field('import-file', t('ind.import.file'), file), field('import-format', t('ind.import.format'), format),
      field('import-source', t('ind.import.source'), source), field('import-kind', t('ind.import.kind'), kind), field('import-tlp', t('ind.import.tlp'), tlp)),
    h('button', { class: 'primary', type: 'submit' }, t('ind.import.submit'))), result);
}

function exportLinks(): HTMLElement {
  const tlp = select('export-tlp', 'tlp', tlps, 'green', (o) => `TLP:${o.toUpperCase()}`, false);
  const links = h('p', { class: 'export-links' });
  const draw = () => clear(links, ...['rpz', 'plain', 'csv', 'stix', 'suricata'].flatMap((f) =>
    [h('a', { class: 'button secondary', href: `/api/v1/indicators/export?format=${f}&tlp=${encodeURIComponent(tlp.value)}`, download: '' }, t(`ind.export.${f}`)), ' ']));
  tlp.addEventListener('change', draw);
  draw();
  return h('section', { class: 'box', 'aria-labelledby': 'export-title' }, h('h2', { id: 'export-title' }, t('ind.export.title')),
    h('p', { class: 'hint' }, t('ind.export.lead')), field('export-tlp', t('ind.export.tlp'), tlp), links);
}

export async function renderIndicators(importResult?: HTMLElement): Promise<void> {
  document.title = t('ind.title');
  const params = new URLSearchParams(location.search);
  const query = new URLSearchParams();
  for (const name of ['q', 'kind', 'source_kind', 'tlp', 'after']) if (params.get(name)) query.set(name, params.get(name)!);
  const r = await api(`/api/v1/indicators?${query}`);
  if (!r.ok) { clear(main, h('h1', {}, t('ind.title')), errorBox((await readProblem(r)).detail ?? '')); return; }
  const { items, next_after, total } = await r.json();
  const search = h('input', { id: 'ind-q', type: 'search', name: 'q', value: params.get('q') ?? '', spellcheck: 'false' });
  const filters = h('form', { class: 'filters', role: 'search', onsubmit: (e: Event) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const el of Array.from((e.target as HTMLFormElement).elements) as HTMLInputElement[]) if (el.name && el.value) q.set(el.name, el.value);
    go(`/desk/indicators?${q}`);
  } }, field('ind-q', t('ind.filter.q'), search),
    field('ind-kind', t('ind.filter.kind'), select('ind-kind', 'kind', kinds, params.get('kind') ?? '', (o) => o)),
    field('ind-source', t('ind.filter.source'), select('ind-source', 'source_kind', sourceKinds, params.get('source_kind') ?? '', (o) => t(`ind.source.${o}`))),
    field('ind-tlp', t('ind.filter.tlp'), select('ind-tlp', 'tlp', tlps, params.get('tlp') ?? '', (o) => `TLP:${o.toUpperCase()}`)),
    h('button', { class: 'secondary', type: 'submit' }, t('desk.filter.apply')));
  const next = new URLSearchParams(query);
  if (next_after !== null) next.set('after', String(next_after));
  clear(main, h('h1', {}, t('ind.title')), h('p', { class: 'lead' }, t('ind.lead').replace('{total}', Number(total ?? 0).toLocaleString(lang()))),
    lookupForm(), filters,
    items.length ? h('table', { id: 'indicators' }, h('caption', { class: 'muted' }, t('ind.caption')),
      h('thead', {}, h('tr', {}, ...['value', 'kind', 'tlp', 'sources', 'last_seen', 'warninglist'].map((c) => h('th', { scope: 'col' }, t(`ind.col.${c}`))))),
      h('tbody', {}, ...items.map((i: any) => h('tr', {},
        h('td', { class: 'mono wrap' }, link(`/desk/indicators/${i.id}`, i.value)), h('td', {}, i.kind),
        h('td', {}, h('span', { class: tlpClass(i.tlp) }, i.tlp)), h('td', { class: 'num' }, String(i.source_count)),
        h('td', { class: 'nowrap' }, formatTime(i.last_seen, lang())), h('td', {}, i.warninglist ? h('span', { class: 'badge muted' }, i.warninglist) : ''))))) :
      h('p', {}, t('ind.empty')),
    next_after !== null ? h('p', {}, link(`/desk/indicators?${next}`, t('ind.next'), { rel: 'next' })) : '',
    importForm(importResult), exportLinks());
}

export async function renderIndicator(id: string): Promise<void> {
  const r = await api(`/api/v1/indicators/${encodeURIComponent(id)}`);
  if (!r.ok) { clear(main, h('h1', {}, t('ind.title')), errorBox((await readProblem(r)).detail ?? '')); return; }
  const i = await r.json();
  document.title = `${i.value} — ${t('ind.title')}`;
  const row = (label: string, value: Node | string) => [h('dt', {}, label), h('dd', {}, value)];
  const target = (c: any) => c.object_kind === 'report' ? link(`/desk/reports/${c.object}`, c.object)
    : c.object_kind === 'incident' ? link(`/desk/incidents/${c.object}`, c.object)
      : link(`/desk/indicators/${c.object}`, c.indicator);
  const groups = ['same_value', 'same_registrable_domain', 'same_network_24', 'same_network_48']
    .map((l) => ({ link: l, items: i.correlations.filter((c: any) => c.link === l) })).filter((g) => g.items.length);
  clear(main, h('p', {}, link('/desk/indicators', t('ind.back'))),
    h('h1', { class: 'mono wrap' }, i.value),
    i.warninglist ? h('p', { class: 'notice' }, `${t('ind.warninglisted')} ${i.warninglist}`) : '',
    h('dl', { class: 'facts' },
      ...row(t('ind.col.kind'), i.kind), ...row(t('ind.col.tlp'), h('span', { class: tlpClass(i.tlp) }, i.tlp)),
      ...(i.registrable_domain ? row(t('ind.registrable'), i.registrable_domain) : []),
      ...(i.network ? row(t('ind.network'), i.network) : []),
      ...row(t('ind.confidence'), i.confidence === null ? '—' : String(i.confidence)),
      ...row(t('ind.valid_until'), i.valid_until ? formatTime(i.valid_until, lang()) : t('ind.no_expiry')),
      ...row(t('ind.first_seen'), formatTime(i.first_seen, lang())), ...row(t('ind.col.last_seen'), formatTime(i.last_seen, lang()))),
    h('h2', {}, t('ind.sources')),
    h('table', { id: 'sources' }, h('thead', {}, h('tr', {}, ...['kind', 'name', 'tlp', 'count', 'last_seen'].map((c) => h('th', { scope: 'col' }, t(`ind.src.${c}`))))),
      h('tbody', {}, ...i.sources.map((s: any) => h('tr', {}, h('td', {}, t(`ind.source.${s.kind}`)), h('td', {}, s.name),
        h('td', {}, h('span', { class: tlpClass(s.tlp) }, s.tlp)), h('td', { class: 'num' }, String(s.count)), h('td', { class: 'nowrap' }, formatTime(s.last_seen, lang())))))),
    h('h2', {}, t('ind.correlations')),
    groups.length ? h('div', { id: 'correlations' }, ...groups.map((g) => h('section', {}, h('h3', {}, t(`ind.link.${g.link}`)),
      h('table', {}, h('thead', {}, h('tr', {}, ...['what', 'via', 'title'].map((c) => h('th', { scope: 'col' }, t(`ind.corr.${c}`))))),
        h('tbody', {}, ...g.items.map((c: any) => h('tr', {}, h('td', {}, `${t(`ind.object.${c.object_kind}`)} `, target(c)),
          h('td', { class: 'mono wrap' }, c.indicator), h('td', {}, c.object_kind === 'report' ? formatTime(c.title, lang()) : c.title)))))))) :
      h('p', {}, t('ind.no_correlations')));
}

// Used by the report page: a value found in a report, linked to its indicator page.
export async function indicatorLink(kind: string, value: string): Promise<HTMLElement | string> {
  const r = await api(`/api/v1/indicators?kind=${encodeURIComponent(kind)}&q=${encodeURIComponent(value)}&limit=1`);
  if (!r.ok) return value;
  const { items } = await r.json();
  return items.length && items[0].value === value ? link(`/desk/indicators/${items[0].id}`, value) : value;
}
