// The desk console: sign in, change a one-time password, enter a report
// received by phone, walk-in or letter, list received reports with filters,
// and read one report in full with its attachments (downloaded, not shown).
import { api, errorBox, go, header, isOrganisationContact, link, main, postJson, readsIndicators, rsitCategories, runsIncidents, session, setRouter } from './console';
import { clear, formatSize, formatTime, h, readProblem } from './dom';
import { lang, languages, setLang, t, type Lang } from './i18n';
import { renderAccount } from './account';
import { renderAudit } from './audit';
import { renderDashboard } from './dashboard';
import { renderIncident, renderIncidents, triageBar } from './incidents';
import { indicatorLink, renderIndicator, renderIndicators } from './indicators';
import { renderSite, renderSites } from './sites';
import { failedCount, renderOutbox, renderTemplates } from './notifications';
import { renderExchange } from './exchange';

function renderHeader(): void {
  const me = session.me;
  clear(header,
    h('a', { class: 'brand', href: '/desk' }, t('desk.name')),
    h('nav', { class: 'desk-nav', 'aria-label': t('desk.nav') },
      ...(me && !me.must_change_password ? navigation() : []),
      ...(me ? [link('/desk/account', me.username, { 'aria-label': t('account.title') }), h('button', { type: 'button', class: 'link', onclick: signOut }, t('desk.signout'))] : []),
      h('ul', { class: 'lang', 'aria-label': t('lang.choose') }, ...languages.map((l) => h('li', {},
        h('button', { type: 'button', lang: l.code, 'aria-pressed': String(l.code === lang()), onclick: () => { setLang(l.code as Lang); void route(); } }, l.name))))));
}

// What the signed-in user's role may open.
function navigation(): HTMLElement[] {
  if (isOrganisationContact()) return [link('/desk/incidents', t('inc.nav'))];
  return [link('/desk', t('desk.reports')),
    ...(runsIncidents() ? [link('/desk/incidents', t('inc.nav')), link('/desk/dashboard', t('dash.title')), outboxLink()] : []),
    link('/desk/new', t('desk.new')),
    link('/desk/sites', t('site.nav')),
    ...(readsIndicators() ? [link('/desk/indicators', t('ind.nav')), link('/desk/exchange', t('xch.nav'))] : []),
    ...(session.me?.role === 'administrator' ? [link('/desk/templates', t('tpl.nav')), link('/desk/audit', t('audit.title'))] : [])];
}

// The outbox, with the number of failed messages when there are any.
function outboxLink(): HTMLElement {
  const a = link('/desk/outbox', t('notify.outbox'), { id: 'nav-outbox' });
  void failedCount().then((n) => {
    if (n) a.append(' ', h('span', { class: 'badge', 'aria-label': t('notify.failed.count').replace('{n}', String(n)) }, String(n)));
  });
  return a;
}

async function signOut(): Promise<void> {
  await api('/api/v1/session', { method: 'DELETE' });
  session.me = null;
  go('/desk');
}

function renderSignIn(message = '', needCode = false, typed: { user?: string; pass?: string } = {}): void {
  document.title = t('desk.signin.title');
  const user = h('input', { id: 'username', type: 'text', autocomplete: 'username', value: typed.user ?? '' }) as HTMLInputElement;
  const pass = h('input', { id: 'password', type: 'password', autocomplete: 'current-password', value: typed.pass ?? '' }) as HTMLInputElement;
  const code = h('input', { id: 'code', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', 'aria-describedby': 'code-hint' }) as HTMLInputElement;
  clear(main, h('h1', {}, t('desk.signin.title')), ...(message ? [errorBox(message)] : []),
    h('form', { novalidate: true, onsubmit: async (e: Event) => {
      e.preventDefault();
      const body: Record<string, string> = { username: user.value, password: pass.value };
      if (needCode) body.code = code.value.trim();
      const r = await fetch('/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      if (!r.ok) {
        const p = await readProblem(r) as { type?: string; detail?: string };
        if (p.type === 'urn:jaga:second-factor-required') return renderSignIn('', true, { user: user.value, pass: pass.value });
        return renderSignIn(p.detail ?? t('error.server'), needCode, needCode ? { user: user.value, pass: pass.value } : {});
      }
      session.me = await r.json();
      void route();
    } },
      h('div', { class: 'field' }, h('label', { for: 'username' }, t('desk.username')), user),
      h('div', { class: 'field' }, h('label', { for: 'password' }, t('desk.password')), pass),
      ...(needCode ? [h('div', { class: 'field' }, h('label', { for: 'code' }, t('desk.code')), h('p', { class: 'hint', id: 'code-hint' }, t('desk.code.hint')), code)] : []),
      h('button', { class: 'primary', type: 'submit', id: 'signin' }, t('desk.signin.submit'))));
  if (needCode && !message) code.focus();
  main.querySelector<HTMLElement>('.error-summary')?.focus();
}

function renderPasswordChange(message = ''): void {
  document.title = t('desk.password.title');
  const current = h('input', { id: 'current', type: 'password', autocomplete: 'current-password' }) as HTMLInputElement;
  const next = h('input', { id: 'new', type: 'password', autocomplete: 'new-password', 'aria-describedby': 'new-hint' }) as HTMLInputElement;
  clear(main, h('h1', {}, t('desk.password.title')), h('p', {}, t('desk.password.lead')), ...(message ? [errorBox(message)] : []),
    h('form', { novalidate: true, onsubmit: async (e: Event) => {
      e.preventDefault();
      const r = await api('/api/v1/session/password', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ current_password: current.value, new_password: next.value }) });
      if (!r.ok) return renderPasswordChange((await readProblem(r)).detail ?? t('error.server'));
      session.me = null;
      renderSignIn();
      main.prepend(h('div', { class: 'notice', role: 'status' }, t('desk.password.done')));
    } },
      h('div', { class: 'field' }, h('label', { for: 'current' }, t('desk.password.current')), current),
      h('div', { class: 'field' }, h('label', { for: 'new' }, t('desk.password.new')), h('p', { class: 'hint', id: 'new-hint' }, t('desk.password.hint')), next),
      h('button', { class: 'primary', type: 'submit' }, t('desk.password.submit'))));
}

const channels = ['phone', 'walk-in', 'letter', 'email'];

async function renderList(): Promise<void> {
  document.title = t('desk.reports');
  const params = new URLSearchParams(location.search);
  const select = (id: string, values: string[], label: (v: string) => string) => {
    const el = h('select', { id, name: id }, h('option', { value: '' }, t('desk.filter.any')), ...values.map((v) => h('option', { value: v, selected: params.get(id) === v }, label(v))));
    return h('div', { class: 'field' }, h('label', { for: id }, t(`desk.filter.${id}`)), el);
  };
  const search = h('div', { class: 'field' }, h('label', { for: 'q' }, t('desk.filter.q')), h('input', { type: 'search', id: 'q', name: 'q', value: params.get('q') ?? '' }));
  const statuses = ['received', 'in_review', 'incident_opened', 'resolved', 'closed', 'spam', 'duplicate'];
  const date = (id: string) => h('div', { class: 'field' }, h('label', { for: id }, t(`desk.filter.${id}`)), h('input', { type: 'date', id, name: id, value: params.get(id) ?? '' }));
  const filters = h('form', { class: 'filters', onsubmit: (e: Event) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const el of Array.from((e.target as HTMLFormElement).elements) as HTMLInputElement[]) if (el.name && el.value) q.set(el.name, el.value);
    go(`/desk?${q}`);
  } }, select('channel', ['web', ...channels], (v) => t(`channel.${v}`)), select('category', rsitCategories, (v) => v), select('status', statuses, (v) => t(`state.${v}`)), date('from'), date('to'), search,
    h('button', { class: 'secondary', type: 'submit' }, t('desk.filter.apply')));
  const r = await api(`/api/v1/desk/reports?${params}`);
  if (!r.ok) { clear(main, h('h1', {}, t('desk.reports')), errorBox((await readProblem(r)).detail ?? '')); return; }
  const { items } = await r.json();
  const triage = runsIncidents();
  const rows = items.map((it: any) => h('tr', {},
    ...(triage ? [h('td', {}, h('input', { type: 'checkbox', class: 'pick', value: it.tracking_code, 'aria-label': `${t('inc.pick')} ${it.tracking_code}` }))] : []),
    h('td', {}, link(`/desk/reports/${it.tracking_code}`, it.tracking_code, { class: 'mono' })),
    h('td', {}, formatTime(it.created_at, lang())), h('td', {}, t(`channel.${it.channel}`)), h('td', {}, it.category),
    h('td', {}, t(`state.${it.status}`)), h('td', {}, it.excerpt), h('td', {}, String(it.attachments))));
  clear(main, h('h1', {}, t('desk.reports')), filters,
    items.length ? h('table', {}, h('caption', { class: 'muted' }, t('desk.list.caption')),
      h('thead', {}, h('tr', {}, ...(triage ? [h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('inc.pick')))] : []),
        ...['code', 'received', 'channel', 'category', 'status', 'description', 'files'].map((c) => h('th', { scope: 'col' }, t(`desk.col.${c}`))))),
      h('tbody', {}, ...rows)) : h('p', {}, t('desk.list.empty')),
    ...(triage && items.length ? [triageBar(() => Array.from(main.querySelectorAll<HTMLInputElement>('input.pick:checked')).map((c) => c.value), () => void renderList())] : []));
}

function renderNew(message = ''): void {
  document.title = t('desk.new');
  const fields: Record<string, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement> = {};
  const input = (id: string, el: HTMLElement, hint = false) => {
    fields[id] = el as HTMLInputElement;
    return h('div', { class: 'field' }, h('label', { for: id }, t(`desk.form.${id}`)), ...(hint ? [h('p', { class: 'hint' }, t(`desk.form.${id}.hint`))] : []), el);
  };
  const files = h('input', { type: 'file', id: 'files', multiple: true }) as HTMLInputElement;
  clear(main, h('h1', {}, t('desk.new')), h('p', { class: 'lead' }, t('desk.new.lead')), ...(message ? [errorBox(message)] : []),
    h('form', { novalidate: true, onsubmit: async (e: Event) => {
      e.preventDefault();
      const v = (id: string) => fields[id].value;
      const report: Record<string, unknown> = { channel: v('channel'), category: v('category'), description: v('description'), involved: v('involved'), language: v('language') };
      if (v('occurred')) report.occurred_at = v('occurred');
      const contact = { name: v('name'), email: v('email'), phone: v('phone') };
      report.anonymous = !contact.name && !contact.email && !contact.phone;
      if (!report.anonymous) { report.contact = contact; report.consent = (fields.consent as HTMLInputElement).checked; }
      const body = new FormData();
      body.set('report', JSON.stringify(report));
      for (const f of Array.from(files.files ?? [])) body.append('files', f, f.name);
      const r = await api('/api/v1/desk/reports', { method: 'POST', body });
      if (!r.ok) { const p = await readProblem(r); return renderNew(`${p.detail ?? ''}${p.field ? ` (${p.field})` : ''}`); }
      const created = await r.json();
      go(`/desk/reports/${created.tracking_code}`);
    } },
      input('channel', h('select', { id: 'channel' }, ...channels.map((c) => h('option', { value: c }, t(`channel.${c}`))))),
      input('category', h('select', { id: 'category' }, ...rsitCategories.map((c) => h('option', { value: c }, c)))),
      input('description', h('textarea', { id: 'description', rows: '6' }), true),
      input('occurred', h('input', { id: 'occurred', type: 'date' })),
      input('involved', h('textarea', { id: 'involved', rows: '3' }), true),
      input('language', h('select', { id: 'language' }, ...languages.map((l) => h('option', { value: l.code }, l.name)))),
      h('h2', {}, t('desk.form.contact')),
      input('name', h('input', { id: 'name', type: 'text' })), input('email', h('input', { id: 'email', type: 'email' })), input('phone', h('input', { id: 'phone', type: 'tel' })),
      h('div', { class: 'field' }, h('div', { class: 'choice' }, (fields.consent = h('input', { type: 'checkbox', id: 'consent' }) as HTMLInputElement), h('label', { for: 'consent' }, t('desk.form.consent')))),
      h('div', { class: 'field' }, h('label', { for: 'files' }, t('form.files.label')), files),
      h('button', { class: 'primary', type: 'submit', id: 'save' }, t('desk.form.submit'))));
  main.querySelector<HTMLElement>('.error-summary')?.focus();
}

async function renderReport(code: string): Promise<void> {
  const r = await api(`/api/v1/desk/reports/${encodeURIComponent(code)}`);
  if (!r.ok) { clear(main, h('h1', {}, code), errorBox((await readProblem(r)).detail ?? '')); return; }
  const rep = await r.json();
  document.title = rep.tracking_code;
  const l = lang();
  const attachment = (a: any) => h('li', {}, h('a', { href: `/api/v1/desk/attachments/${a.id}`, download: a.filename }, a.filename), ` — ${a.media_type}, ${formatSize(a.size)}`, h('br', {}), h('span', { class: 'mono muted' }, `sha256 ${a.sha256}`));
  const contact = rep.contact.anonymous ? t('desk.report.anonymous') : [rep.contact.name, rep.contact.email, rep.contact.phone].filter(Boolean).join(' · ');
  const noteText = h('textarea', { id: 'note', rows: '3' }) as HTMLTextAreaElement;
  clear(main, h('h1', {}, h('span', { class: 'mono' }, rep.tracking_code), ' ', h('span', { class: 'tag' }, t(`state.${rep.status}`))),
    h('dl', { class: 'summary' },
      h('dt', {}, t('desk.col.received')), h('dd', {}, formatTime(rep.created_at, l)),
      h('dt', {}, t('desk.col.channel')), h('dd', {}, t(`channel.${rep.channel}`) + (rep.operator ? ` (${rep.operator})` : '')),
      h('dt', {}, t('desk.col.category')), h('dd', {}, rep.category),
      h('dt', {}, t('desk.form.occurred')), h('dd', {}, rep.occurred_at ? formatTime(rep.occurred_at, l) : '—'),
      h('dt', {}, t('desk.col.description')), h('dd', {}, rep.description),
      h('dt', {}, t('desk.form.involved')), h('dd', {}, rep.involved || '—'),
      h('dt', {}, t('desk.form.contact')), h('dd', {}, contact)),
    h('h2', {}, t('desk.report.indicators')),
    rep.indicators.length ? h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('desk.report.type')), h('th', { scope: 'col' }, t('desk.report.value')), h('th', { scope: 'col' }, t('desk.report.source')))),
      h('tbody', {}, ...rep.indicators.map((i: any) => h('tr', {}, h('td', {}, i.type), valueCell(i), h('td', {}, i.source))))) : h('p', { class: 'muted' }, '—'),
    h('h2', {}, t('desk.report.related')),
    rep.related.length ? h('ul', { class: 'plain' }, ...rep.related.map((c: string) => h('li', {}, link(`/desk/reports/${c}`, c, { class: 'mono' })))) : h('p', { class: 'muted' }, t('desk.report.related.none')),
    h('h2', {}, t('desk.report.attachments')),
    rep.attachments.length ? h('ul', { class: 'plain' }, ...rep.attachments.map(attachment)) : h('p', { class: 'muted' }, '—'),
    h('h2', {}, t('status.additions')),
    rep.additions.length ? h('ul', { class: 'plain' }, ...rep.additions.map((a: any) => h('li', {}, formatTime(a.created_at, l), ' — ', a.text, h('ul', {}, ...a.attachments.map(attachment))))) : h('p', { class: 'muted' }, '—'),
    h('h2', {}, t('status.notes')),
    rep.notes.length ? h('ul', { class: 'plain' }, ...rep.notes.map((n: any) => h('li', {}, formatTime(n.created_at, l), ' — ', n.text))) : h('p', { class: 'muted' }, '—'),
    h('form', { novalidate: true, onsubmit: async (e: Event) => {
      e.preventDefault();
      const res = await api(`/api/v1/desk/reports/${rep.tracking_code}/notes`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: noteText.value, status: 'in_review' }) });
      if (res.ok) void renderReport(rep.tracking_code);
    } }, h('div', { class: 'field' }, h('label', { for: 'note' }, t('desk.report.note')), h('p', { class: 'hint' }, t('desk.report.note.hint')), noteText),
      h('button', { class: 'secondary', type: 'submit' }, t('desk.report.note.submit'))));
}

// A value found in a report, linked to its page in the store of indicators
// for those who may open it.
function valueCell(i: { type: string; value: string }): HTMLElement {
  const cell = h('td', { class: 'mono' }, i.value);
  if (readsIndicators()) void indicatorLink(i.type, i.value).then((content) => clear(cell, content));
  return cell;
}

async function route(): Promise<void> {
  if (!session.me) {
    const r = await fetch('/api/v1/session', { credentials: 'same-origin' });
    if (r.ok) session.me = await r.json();
  }
  renderHeader();
  const me = session.me;
  if (!me) return renderSignIn();
  if (me.must_change_password) return renderPasswordChange();
  const path = location.pathname;
  const incident = path.match(/^\/desk\/incidents\/(INC-\d{4}-\d+)$/);
  if (incident) return renderIncident(incident[1]);
  if (path === '/desk/incidents') return renderIncidents();
  if (path === '/desk/account') return renderAccount();
  // An organisation contact's console is its organisation's incidents.
  if (isOrganisationContact()) { history.replaceState(null, '', '/desk/incidents'); return renderIncidents(); }
  if (path === '/desk/dashboard') return renderDashboard();
  if (path === '/desk/audit') return renderAudit();
  if (path === '/desk/indicators') return renderIndicators();
  const indicator = path.match(/^\/desk\/indicators\/(\d+)$/);
  if (indicator) return renderIndicator(indicator[1]);
  if (path === '/desk/sites') return renderSites();
  const site = path.match(/^\/desk\/sites\/(\d+)$/);
  if (site) return renderSite(site[1]);
  if (path === '/desk/exchange') return renderExchange();
  if (path === '/desk/outbox') return renderOutbox();
  if (path === '/desk/templates') return renderTemplates();
  const report = path.match(/^\/desk\/reports\/([A-Za-z0-9-]+)$/);
  if (report) return renderReport(report[1]);
  if (path === '/desk/new') return renderNew();
  return renderList();
}

setRouter(route);
window.addEventListener('popstate', () => void route());
void route();
