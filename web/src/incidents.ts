// The analysts' pages: turning picked reports into an incident (or marking
// them spam or duplicate), the incident queue with its saved filters, and one
// incident with its lifecycle, comments and timeline.
import { api, errorBox, go, isOrganisationContact, link, main, postJson, rsitCategories, runsIncidents } from './console';
import { shareSection } from './exchange';
import { clear, formatTime, h, readProblem } from './dom';
import { lang, t } from './i18n';
import { notificationsSection } from './notifications';

const severities = ['critical', 'high', 'medium', 'low'];
const tlps = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'];

function field(id: string, label: string, control: HTMLElement, hint = ''): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), ...(hint ? [h('p', { class: 'hint' }, hint)] : []), control);
}

function select(id: string, values: string[], label: (v: string) => string, selected = ''): HTMLSelectElement {
  return h('select', { id, name: id }, ...values.map((v) => h('option', { value: v, selected: v === selected }, label(v)))) as HTMLSelectElement;
}

function problemText(p: { detail?: string; field?: string }): string {
  return `${p.detail ?? t('error.server')}${p.field ? ` (${p.field})` : ''}`;
}

// Under the report list: what to do with the picked reports.
export function triageBar(picked: () => string[], done: () => void): HTMLElement {
  const title = h('input', { id: 'inc-title', type: 'text' }) as HTMLInputElement;
  const category = select('inc-category', rsitCategories, (c) => c);
  const severity = select('inc-severity', severities, (s) => t(`inc.severity.${s}`), 'medium');
  const message = h('div', { role: 'status', class: 'notice', hidden: true });
  const fail = (text: string) => { message.hidden = false; message.className = 'error-summary'; message.textContent = text; };
  const mark = async (action: string) => {
    const reports = picked();
    if (!reports.length) return fail(t('inc.pick.none'));
    const r = await postJson('/api/v1/desk/reports/triage', { reports, action, note: t(`inc.note.${action}`) });
    if (!r.ok) return fail(problemText(await readProblem(r)));
    done();
  };
  return h('section', { class: 'triage', 'aria-labelledby': 'triage-title' },
    h('h2', { id: 'triage-title' }, t('inc.triage.title')),
    h('p', { class: 'hint' }, t('inc.triage.hint')), message,
    h('form', { novalidate: true, onsubmit: async (e: Event) => {
      e.preventDefault();
      const reports = picked();
      if (!reports.length) return fail(t('inc.pick.none'));
      const r = await postJson('/api/v1/incidents', { title: title.value, category: category.value, severity: severity.value, reports });
      if (!r.ok) return fail(problemText(await readProblem(r)));
      go(`/desk/incidents/${(await r.json()).reference}`);
    } },
      field('inc-title', t('inc.title'), title), field('inc-category', t('desk.col.category'), category),
      field('inc-severity', t('inc.severity'), severity),
      h('div', { class: 'actions' },
        h('button', { class: 'primary', type: 'submit', id: 'open-incident' }, t('inc.open')),
        h('button', { class: 'secondary', type: 'button', onclick: () => void mark('duplicate') }, t('inc.mark.duplicate')),
        h('button', { class: 'secondary', type: 'button', onclick: () => void mark('spam') }, t('inc.mark.spam')))));
}

const savedFilters: [string, string][] = [
  ['open', 'open=true'], ['mine', 'assignee=me&open=true'], ['overdue', 'overdue=true'], ['all', ''],
];

// The RSIT classes an incident queue can be filtered by.
const rsitClasses = ['abusive-content', 'malicious-code', 'information-gathering', 'intrusion-attempts', 'intrusions', 'availability',
  'information-content-security', 'fraud', 'vulnerable', 'other', 'test'];

export async function renderIncidents(): Promise<void> {
  document.title = t('inc.nav');
  const contact = isOrganisationContact();
  const query = new URLSearchParams(location.search);
  const view = query.get('view') ?? 'open';
  const views = contact ? savedFilters.filter(([name]) => name !== 'mine') : savedFilters;
  const params = new URLSearchParams(views.find(([name]) => name === view)?.[1] ?? 'open=true');
  const chosen = { q: query.get('q') ?? '', category: query.get('category') ?? '', organisation: query.get('organisation') ?? '', severity: query.get('severity') ?? '' };
  for (const [k, v] of Object.entries(chosen)) if (v) params.set(k, v);
  const [r, orgs] = await Promise.all([api(`/api/v1/incidents?${params}`), contact ? Promise.resolve(null) : api('/api/v1/organisations')]);
  if (!r.ok) { clear(main, h('h1', {}, t('inc.nav')), errorBox((await readProblem(r)).detail ?? '')); return; }
  const { items } = await r.json();
  const organisations: { id: number; name: string }[] = orgs?.ok ? (await orgs.json()).items : [];
  const l = lang();
  // The filters travel in the address, so that a view can be bookmarked and shared.
  const address = (v: string, filters: Record<string, string>) => {
    const p = new URLSearchParams({ view: v });
    for (const [k, value] of Object.entries(filters)) if (value) p.set(k, value);
    return `/desk/incidents?${p}`;
  };
  const tabs = h('nav', { class: 'tabs', 'aria-label': t('inc.views') }, ...views.map(([name]) =>
    link(address(name, chosen), t(`inc.view.${name}`), name === view ? { 'aria-current': 'page' } : {})));
  const rows = items.map((it: any) => h('tr', { class: it.overdue ? 'overdue' : '' },
    h('td', {}, link(`/desk/incidents/${it.reference}`, it.reference, { class: 'mono' })),
    h('td', {}, it.title),
    h('td', {}, h('span', { class: `sev sev-${it.severity}` }, t(`inc.severity.${it.severity}`))),
    h('td', {}, t(`inc.status.${it.status}`)),
    h('td', {}, it.assignee || '—'),
    h('td', {}, formatTime(it.resolution_due, l), it.overdue ? h('strong', { class: 'late' }, ` · ${t('inc.overdue')}`) : ''),
    h('td', {}, String(it.reports))));
  const searchBox = h('input', { type: 'search', id: 'inc-q', value: chosen.q }) as HTMLInputElement;
  const classBox = h('select', { id: 'inc-class' }, h('option', { value: '' }, t('inc.filter.any')),
    ...rsitClasses.map((c) => h('option', { value: c, selected: c === chosen.category }, c))) as HTMLSelectElement;
  const organisationBox = h('select', { id: 'inc-organisation' }, h('option', { value: '' }, t('inc.filter.any')),
    ...organisations.map((o) => h('option', { value: String(o.id), selected: String(o.id) === chosen.organisation }, o.name))) as HTMLSelectElement;
  const search = h('form', { class: 'filters', role: 'search', onsubmit: (e: Event) => {
    e.preventDefault();
    go(address(view, { q: searchBox.value.trim(), category: classBox.value, organisation: contact ? '' : organisationBox.value }));
  } }, h('div', { class: 'field' }, h('label', { for: 'inc-q' }, t('desk.filter.q')), searchBox),
    h('div', { class: 'field' }, h('label', { for: 'inc-class' }, t('inc.filter.class')), classBox),
    ...(contact ? [] : [h('div', { class: 'field' }, h('label', { for: 'inc-organisation' }, t('inc.filter.organisation')), organisationBox)]),
    h('button', { class: 'secondary', type: 'submit' }, t('inc.search')));
  clear(main, h('h1', {}, t('inc.nav')), ...(contact ? [h('p', { class: 'hint' }, t('inc.contact.lead'))] : []), tabs, search,
    items.length ? h('table', {}, h('caption', { class: 'muted' }, t('inc.list.caption')),
      h('thead', {}, h('tr', {}, ...['reference', 'title', 'severity', 'status', 'assignee', 'due', 'reports'].map((c) => h('th', { scope: 'col' }, t(`inc.col.${c}`))))),
      h('tbody', {}, ...rows)) : h('p', {}, t('inc.list.empty')));
}

export async function renderIncident(reference: string, message = ''): Promise<void> {
  const r = await api(`/api/v1/incidents/${encodeURIComponent(reference)}`);
  if (!r.ok) { clear(main, h('h1', {}, reference), errorBox((await readProblem(r)).detail ?? '')); return; }
  const inc = await r.json();
  const contact = isOrganisationContact();
  document.title = `${inc.reference} · ${inc.title}`;
  const l = lang();
  const status = select('status', [inc.status, ...inc.next_statuses], (s) => s === inc.status ? `${t(`inc.status.${s}`)} (${t('inc.now')})` : t(`inc.status.${s}`), inc.status);
  const severity = select('severity', severities, (s) => t(`inc.severity.${s}`), inc.severity);
  const tlp = select('tlp', tlps, (v) => v, inc.tlp);
  const assignee = h('input', { id: 'assignee', type: 'text', value: inc.assignee }) as HTMLInputElement;
  const comment = h('textarea', { id: 'comment', rows: '4' }) as HTMLTextAreaElement;
  const visibility = (value: string, checked: boolean) => h('div', { class: 'choice' },
    h('input', { type: 'radio', name: 'visibility', id: `visibility-${value}`, value, checked }), h('label', { for: `visibility-${value}` }, t(`inc.visibility.${value}`)));
  const event = (e: any) => {
    let what = t(`inc.event.${e.kind}`);
    if (e.kind === 'notification') {
      return h('li', {}, h('span', { class: 'muted' }, `${formatTime(e.at, l)} · ${e.actor || t('inc.actor.system')} · `),
        h('strong', {}, `${what}: ${t(`notify.event.${e.text}`)}`), ` (${t('notify.messages').replace('{n}', String(e.details?.messages ?? 0))})`);
    }
    if (e.kind === 'partner_sighting') {
      return h('li', { class: 'sighting' }, h('span', { class: 'muted' }, `${formatTime(e.at, l)} · ${e.details?.partner ?? ''} · `), h('strong', {}, what),
        h('br', {}), t('inc.sighting.text').replace('{partner}', e.details?.partner ?? '').replace('{count}', String(e.details?.count ?? 1)),
        ' ', h('span', { class: 'mono' }, e.details?.sighting_of ?? ''));
    }
    if (e.details?.from !== undefined) {
      const name = (v: string) => e.kind === 'status' ? t(`inc.status.${v}`) : e.kind === 'severity' ? t(`inc.severity.${v}`) : (v || '—');
      what += `: ${name(e.details.from)} → ${name(e.details.to)}`;
    }
    return h('li', { class: e.visibility === 'public' ? 'public' : '' },
      h('span', { class: 'muted' }, `${formatTime(e.at, l)} · ${e.actor || t('inc.actor.routing')} · `), h('strong', {}, what),
      ...(e.text ? [h('br', {}), e.kind === 'report_linked' ? link(`/desk/reports/${e.text}`, e.text, { class: 'mono' }) : e.text] : []));
  };
  // Changing the incident and commenting: the desk's, not an organisation contact's.
  const staffForms = (): HTMLElement[] => [
    h('h2', {}, t('inc.change')),
    h('form', { novalidate: true, class: 'inline-fields', onsubmit: async (e: Event) => {
      e.preventDefault();
      const change: Record<string, unknown> = {};
      if (status.value !== inc.status) change.status = status.value;
      if (severity.value !== inc.severity) change.severity = severity.value;
      if (tlp.value !== inc.tlp) change.tlp = tlp.value;
      if (assignee.value.trim() !== inc.assignee) change.assignee = assignee.value.trim();
      if (!Object.keys(change).length) return;
      const res = await postJson(`/api/v1/incidents/${inc.reference}`, change, 'PATCH');
      void renderIncident(inc.reference, res.ok ? '' : problemText(await readProblem(res)));
    } },
      field('status', t('inc.col.status'), status), field('severity', t('inc.severity'), severity), field('tlp', 'TLP', tlp),
      field('assignee', t('inc.col.assignee'), assignee, t('inc.assignee.hint')),
      h('button', { class: 'primary', type: 'submit', id: 'save-incident' }, t('inc.save'))),
    h('h2', {}, t('inc.comment')),
    h('form', { novalidate: true, onsubmit: async (e: Event) => {
      e.preventDefault();
      const chosen = main.querySelector<HTMLInputElement>('input[name=visibility]:checked')?.value ?? 'internal';
      const res = await postJson(`/api/v1/incidents/${inc.reference}/comments`, { text: comment.value, visibility: chosen });
      void renderIncident(inc.reference, res.ok ? '' : problemText(await readProblem(res)));
    } },
      field('comment', t('inc.comment.text'), comment),
      h('fieldset', {}, h('legend', {}, t('inc.visibility')), visibility('internal', true), visibility('public', false)),
      h('button', { class: 'secondary', type: 'submit', id: 'add-comment' }, t('inc.comment.submit')))];
  const sharing = contact || !runsIncidents() ? [] : await shareSection(inc.reference, (text) => void renderIncident(inc.reference, text));
  clear(main,
    h('h1', {}, h('span', { class: 'mono' }, inc.reference), ' ', inc.title),
    h('p', {}, h('span', { class: 'tag' }, t(`inc.status.${inc.status}`)), ' ', h('span', { class: `sev sev-${inc.severity}` }, t(`inc.severity.${inc.severity}`)), ' ',
      h('span', { class: 'tag' }, inc.tlp), ...(inc.overdue ? [' ', h('strong', { class: 'late' }, t('inc.overdue'))] : [])),
    ...(message ? [errorBox(message)] : []),
    h('dl', { class: 'summary' },
      h('dt', {}, t('desk.col.category')), h('dd', {}, inc.category),
      h('dt', {}, t('inc.col.assignee')), h('dd', {}, inc.assignee || '—'),
      h('dt', {}, t('inc.opened')), h('dd', {}, `${formatTime(inc.created_at, l)} · ${inc.created_by}`),
      h('dt', {}, t('inc.response_due')), h('dd', {}, inc.first_response_at ? `${t('inc.responded')} ${formatTime(inc.first_response_at, l)}` : formatTime(inc.response_due, l)),
      h('dt', {}, t('inc.col.due')), h('dd', {}, inc.resolved_at ? `${t('inc.status.resolved')} ${formatTime(inc.resolved_at, l)}` : formatTime(inc.resolution_due, l))),
    ...(contact ? [h('p', { class: 'hint' }, t('inc.contact.page'))] : staffForms()),
    h('h2', {}, t('inc.organisations')),
    inc.organisations.length ? h('ul', { class: 'plain', id: 'organisations' }, ...inc.organisations.map((o: any) => h('li', {},
      h('strong', {}, o.name), ' — ', o.source === 'analyst' ? t('inc.organisations.analyst') : t('inc.organisations.routing'), h('br', {}),
      h('span', { class: 'muted' }, o.reason)))) : h('p', { class: 'muted' }, t('inc.organisations.none')),
    ...(contact ? [] : [...notificationsSection(inc, (text) => void renderIncident(inc.reference, text)),
      h('h2', {}, t('inc.reports')),
      inc.reports.length ? h('ul', { class: 'plain' }, ...inc.reports.map((c: string) => h('li', {}, link(`/desk/reports/${c}`, c, { class: 'mono' })))) : h('p', { class: 'muted' }, '—')]),
    ...sharing,
    h('h2', {}, t('desk.report.indicators')),
    inc.indicators.length ? h('ul', { class: 'plain' }, ...inc.indicators.map((i: any) => h('li', {}, `${i.type} `, h('span', { class: 'mono' }, i.value)))) : h('p', { class: 'muted' }, '—'),
    h('h2', {}, t('inc.timeline')),
    h('ol', { class: 'timeline' }, ...[...inc.timeline].reverse().map(event)));
  main.querySelector<HTMLElement>('.error-summary')?.focus();
}
