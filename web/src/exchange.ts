// The partner exchange in the console: partners with their agreements and
// how syncing with each goes (sync on demand), the collections, shares
// waiting for a second analyst, and the cross-border transfer log (filtered,
// exported as CSV, with objects sent and received per partner as a chart).
// On an incident's page, the form that shares it.
import { api, errorBox, go, main, postJson, runsIncidents } from './console';
import { clear, formatTime, h, readProblem } from './dom';
import { lang, t } from './i18n';

const tlpChoices = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER'];

function yesNo(value: boolean): string { return value ? t('xch.yes') : t('xch.no'); }

function syncCell(p: any, l: string): HTMLElement {
  const s = p.sync;
  if (!s) return h('td', { class: 'muted' }, t('xch.sync.none'));
  const state = s.last_error
    ? h('span', { class: 'late' }, `${t('xch.sync.failing')} (${s.failures}): ${s.last_error}`)
    : s.last_success ? h('span', {}, `${t('xch.sync.ok')} ${formatTime(s.last_success, l)}`) : h('span', { class: 'muted' }, t('xch.sync.never'));
  return h('td', {}, state, h('br', {}),
    h('span', { class: 'muted' }, t('xch.sync.counts').replace('{pulled}', String(s.pulled)).replace('{pushed}', String(s.pushed))),
    h('br', {}), h('span', { class: 'muted mono' }, s.api_root));
}

// Objects sent and received per partner, from the transfers shown: bars, not a table of numbers.
function transferChart(transfers: any[]): HTMLElement {
  const per = new Map<string, { sent: number; received: number }>();
  for (const tr of transfers) {
    const entry = per.get(tr.partner) ?? { sent: 0, received: 0 };
    entry[tr.direction as 'sent' | 'received'] += tr.object_count;
    per.set(tr.partner, entry);
  }
  const rows = [...per.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  const most = Math.max(1, ...rows.map(([, v]) => Math.max(v.sent, v.received)));
  const barHeight = 14, gap = 6, label = 120, width = 520;
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  const height = rows.length * (2 * barHeight + gap + 4) + 4;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t('xch.chart.label'));
  svg.setAttribute('class', 'chart');
  let y = 4;
  for (const [partner, v] of rows) {
    const text = document.createElementNS(svgNs, 'text');
    text.setAttribute('x', '0'); text.setAttribute('y', String(y + barHeight + 4)); text.textContent = partner;
    svg.append(text);
    for (const [kind, value] of [['sent', v.sent], ['received', v.received]] as const) {
      const bar = document.createElementNS(svgNs, 'rect');
      const w = Math.max(1, Math.round((width - label - 80) * value / most));
      bar.setAttribute('x', String(label)); bar.setAttribute('y', String(y)); bar.setAttribute('width', String(w));
      bar.setAttribute('height', String(barHeight)); bar.setAttribute('class', `bar-${kind}`);
      const count = document.createElementNS(svgNs, 'text');
      count.setAttribute('x', String(label + w + 6)); count.setAttribute('y', String(y + barHeight - 3));
      count.textContent = `${value} ${t(`xch.dir.${kind}`)}`;
      svg.append(bar, count);
      y += barHeight + 2;
    }
    y += gap;
  }
  return h('figure', {}, svg as unknown as HTMLElement, h('figcaption', { class: 'muted' }, t('xch.chart.caption')));
}

export async function renderExchange(message = ''): Promise<void> {
  document.title = t('xch.title');
  const params = new URLSearchParams(location.search);
  const filter = new URLSearchParams();
  for (const name of ['partner', 'direction']) if (params.get(name)) filter.set(name, params.get(name)!);
  const [partnersRes, collectionsRes, pendingRes, transfersRes] = await Promise.all([
    api('/api/v1/partners'), api('/api/v1/collections'), api('/api/v1/shares?state=pending'), api(`/api/v1/transfers?${filter}`)]);
  for (const r of [partnersRes, collectionsRes, pendingRes, transfersRes]) {
    if (!r.ok) { clear(main, h('h1', {}, t('xch.title')), errorBox((await readProblem(r)).detail ?? '')); return; }
  }
  const partners = (await partnersRes.json()).items;
  const collections = (await collectionsRes.json()).items;
  const pending = (await pendingRes.json()).items;
  const transfers = (await transfersRes.json()).items;
  const l = lang();
  const status = h('p', { role: 'status', id: 'exchange-status' });

  const partnerRows = partners.map((p: any) => h('tr', {},
    h('th', { scope: 'row' }, h('strong', {}, p.name), h('br', {}), h('span', { class: 'muted' }, p.title)),
    h('td', {}, h('span', { class: 'tag' }, p.agreement.max_tlp), h('br', {}), h('span', { class: 'muted' }, p.agreement.reference || '—')),
    h('td', {}, yesNo(p.agreement.personal_data)), h('td', {}, yesNo(p.agreement.four_eyes)),
    h('td', { class: 'mono' }, p.collections.map((c: any) => `${c.collection}:${c.read ? 'r' : ''}${c.write ? 'w' : ''}`).join(' ') || '—'),
    syncCell(p, l),
    h('td', {}, p.sync ? h('button', { type: 'button', class: 'secondary', 'data-partner': p.name, onclick: async (e: Event) => {
      const button = e.target as HTMLButtonElement;
      button.disabled = true;
      status.textContent = t('xch.sync.running').replace('{name}', p.name);
      const res = await postJson(`/api/v1/partners/${encodeURIComponent(p.name)}/sync`, {});
      const report = await res.json();
      const text = res.ok
        ? (report.ok ? t('xch.sync.done').replace('{pulled}', String(report.pulled)).replace('{pushed}', String(report.pushed)) : `${t('xch.sync.failed')}: ${report.error}`)
        : report.detail ?? t('error.server');
      void renderExchange(res.ok && report.ok ? '' : text).then(() => {
        const s = document.getElementById('exchange-status');
        if (s && res.ok && report.ok) s.textContent = text;
      });
    } }, t('xch.sync.now')) : '')));

  const approvals = pending.map((s: any) => {
    const reason = h('input', { type: 'text', id: `reason-${s.id}`, 'aria-label': t('xch.reject.reason') }) as HTMLInputElement;
    const decide = async (verdict: 'approve' | 'reject') => {
      const res = await postJson(`/api/v1/shares/${s.id}/${verdict}`, verdict === 'reject' ? { reason: reason.value } : {});
      void renderExchange(res.ok ? '' : (await readProblem(res)).detail ?? t('error.server'));
    };
    return h('li', { class: 'approval' },
      h('strong', {}, `${s.incident} → ${s.collection}`), ' ', h('span', { class: 'tag' }, s.tlp), ' ', s.summary, h('br', {}),
      h('span', { class: 'muted' }, `${t('xch.requested')} ${s.requested_by} · ${formatTime(s.requested_at, l)} · ${t('xch.four_eyes_for')} ${s.approvers_for.join(', ')}`),
      ...(runsIncidents() ? [h('div', { class: 'inline-fields' },
        h('button', { type: 'button', class: 'primary', id: `approve-${s.id}`, onclick: () => void decide('approve') }, t('xch.approve')),
        reason, h('button', { type: 'button', class: 'secondary', id: `reject-${s.id}`, onclick: () => void decide('reject') }, t('xch.reject')))] : []));
  });

  const filterField = (name: string, control: HTMLElement) => h('div', { class: 'field' }, h('label', { for: `transfer-${name}` }, t(`xch.filter.${name}`)), control);
  const partnerSelect = h('select', { id: 'transfer-partner', name: 'partner' }, h('option', { value: '' }, t('xch.filter.all')),
    ...partners.map((p: any) => h('option', { value: p.name, selected: p.name === params.get('partner') }, p.name)));
  const directionSelect = h('select', { id: 'transfer-direction', name: 'direction' }, h('option', { value: '' }, t('xch.filter.all')),
    ...['sent', 'received'].map((d) => h('option', { value: d, selected: d === params.get('direction') }, t(`xch.dir.${d}`))));

  clear(main, h('h1', {}, t('xch.title')), h('p', { class: 'lead' }, t('xch.lead')),
    ...(message ? [errorBox(message)] : []), status,
    h('h2', { id: 'approvals' }, `${t('xch.approvals')} (${pending.length})`),
    pending.length ? h('ul', { class: 'plain', id: 'approval-list' }, ...approvals) : h('p', { class: 'muted' }, t('xch.approvals.none')),
    h('h2', {}, t('xch.partners')),
    partners.length ? h('table', { id: 'partners' },
      h('thead', {}, h('tr', {}, ...['partner', 'max_tlp', 'personal', 'four_eyes', 'collections', 'sync', 'action'].map((c) => h('th', { scope: 'col' }, t(`xch.col.${c}`))))),
      h('tbody', {}, ...partnerRows)) : h('p', { class: 'muted' }, t('xch.partners.none')),
    h('h2', {}, t('xch.collections')),
    collections.length ? h('table', { id: 'collections' },
      h('thead', {}, h('tr', {}, ...['alias', 'title', 'max_tlp', 'taxii'].map((c) => h('th', { scope: 'col' }, t(`xch.col.${c}`))))),
      h('tbody', {}, ...collections.map((c: any) => h('tr', {}, h('td', { class: 'mono' }, c.alias), h('td', {}, c.title),
        h('td', {}, h('span', { class: 'tag' }, c.max_tlp)), h('td', { class: 'mono' }, `/taxii2/api/collections/${c.taxii_id}/`))))) : h('p', { class: 'muted' }, '—'),
    h('h2', { id: 'transfers' }, t('xch.transfers')), h('p', { class: 'hint' }, t('xch.transfers.lead')),
    h('form', { class: 'filters', onsubmit: (e: Event) => {
      e.preventDefault();
      const q = new URLSearchParams();
      for (const el of Array.from((e.target as HTMLFormElement).elements) as HTMLInputElement[]) if (el.name && el.value) q.set(el.name, el.value);
      go(`/desk/exchange?${q}#transfers`);
    } }, filterField('partner', partnerSelect), filterField('direction', directionSelect),
      h('button', { class: 'secondary', type: 'submit' }, t('desk.filter.apply')),
      h('a', { class: 'button secondary', href: `/api/v1/transfers/export?${filter}`, download: 'transfers.csv', id: 'transfers-csv' }, t('xch.transfers.csv'))),
    ...(transfers.length ? [transferChart(transfers), h('table', { id: 'transfer-log' },
      h('thead', {}, h('tr', {}, ...['at', 'direction', 'partner', 'collection', 'channel', 'objects', 'agreement'].map((c) => h('th', { scope: 'col' }, t(`xch.col.${c}`))))),
      h('tbody', {}, ...transfers.map((tr: any) => h('tr', {},
        h('td', { class: 'nowrap' }, formatTime(tr.at, l)), h('td', {}, t(`xch.dir.${tr.direction}`)), h('td', {}, tr.partner),
        h('td', { class: 'mono' }, tr.collection), h('td', { class: 'mono' }, tr.channel),
        h('td', { title: tr.objects.slice(0, 20).map((o: any) => o.id).join('\n') }, String(tr.object_count)),
        h('td', {}, `${tr.agreement.max_tlp ?? ''}${tr.agreement.reference ? ` · ${tr.agreement.reference}` : ''}`)))))]
      : [h('p', { class: 'muted' }, t('xch.transfers.none'))]));
  main.querySelector<HTMLElement>('.error-summary')?.focus();
}

// The share form on an incident's page, and the incident's shares so far.
export async function shareSection(reference: string, done: (message: string) => void): Promise<HTMLElement[]> {
  const [collectionsRes, sharesRes] = await Promise.all([api('/api/v1/collections'), api(`/api/v1/shares?incident=${encodeURIComponent(reference)}`)]);
  if (!collectionsRes.ok || !sharesRes.ok) return [];
  const collections = (await collectionsRes.json()).items;
  const shares = (await sharesRes.json()).items;
  const l = lang();
  if (!collections.length) return [h('h2', {}, t('xch.share')), h('p', { class: 'muted' }, t('xch.share.no_collections'))];
  const collection = h('select', { id: 'share-collection' }, ...collections.map((c: any) => h('option', { value: c.alias }, `${c.alias} (${c.max_tlp})`))) as HTMLSelectElement;
  const tlp = h('select', { id: 'share-tlp' }, ...tlpChoices.map((v) => h('option', { value: v, selected: v === 'TLP:GREEN' }, v))) as HTMLSelectElement;
  const withIncident = h('input', { type: 'checkbox', id: 'share-incident', checked: true }) as HTMLInputElement;
  return [h('h2', {}, t('xch.share')), h('p', { class: 'hint' }, t('xch.share.lead')),
    h('form', { class: 'inline-fields', novalidate: true, onsubmit: async (e: Event) => {
      e.preventDefault();
      const res = await postJson(`/api/v1/incidents/${reference}/shares`, { collection: collection.value, tlp: tlp.value, incident: withIncident.checked, indicators: 'all' });
      if (!res.ok) return done((await readProblem(res)).detail ?? t('error.server'));
      done('');
    } },
      h('div', { class: 'field' }, h('label', { for: 'share-collection' }, t('xch.col.collection')), collection),
      h('div', { class: 'field' }, h('label', { for: 'share-tlp' }, 'TLP'), tlp),
      h('div', { class: 'choice' }, withIncident, h('label', { for: 'share-incident' }, t('xch.share.incident'))),
      h('button', { class: 'primary', type: 'submit', id: 'share-submit' }, t('xch.share.submit'))),
    shares.length ? h('ul', { class: 'plain', id: 'shares' }, ...shares.map((s: any) => h('li', {},
      h('span', { class: 'tag' }, t(`xch.state.${s.state}`)), ' ', `${s.summary} → ${s.collection} `, h('span', { class: 'tag' }, s.tlp),
      h('br', {}), h('span', { class: 'muted' }, `${s.requested_by} · ${formatTime(s.requested_at, l)}${s.decided_by ? ` · ${s.decided_by}` : ''}${s.reason ? ` · ${s.reason}` : ''}`)))) : h('p', { class: 'muted' }, t('xch.share.none'))];
}
