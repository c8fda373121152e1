// Notifications in the console: what was sent about an incident (and the
// button to send its summary again), the outbox with every failure in view
// and a retry, and the templates an administrator edits.
import { api, errorBox, link, main, postJson } from './console';
import { clear, formatTime, h, readProblem } from './dom';
import { lang, t } from './i18n';

const events = ['incident_opened', 'status_changed', 'public_note', 'sla_reminder'];

function statusBadge(m: any): HTMLElement {
  const state = m.status === 'queued' && m.attempts > 0 ? 'retrying' : m.status;
  return h('span', { class: `delivery delivery-${state}` }, t(`notify.status.${state}`));
}

function recipientCell(m: any): HTMLElement {
  return h('td', {}, m.recipient_kind === 'reporter' ? t('notify.reporter') : m.organisation, h('br', {}),
    h('span', { class: 'mono muted' }, m.recipient || t('notify.no_address')));
}

function retryButton(m: any, after: (message: string) => void): HTMLElement | string {
  if (m.status === 'sent' || !m.recipient) return '';
  return h('button', { type: 'button', class: 'secondary small', 'data-retry': String(m.id), onclick: async () => {
    const r = await api(`/api/v1/outbox/${m.id}/retry`, { method: 'POST' });
    after(r.ok ? '' : (await readProblem(r)).detail ?? '');
  } }, t('notify.retry'));
}

function messageRows(items: any[], withIncident: boolean, after: (message: string) => void): HTMLElement[] {
  const l = lang();
  return items.map((m) => h('tr', { class: m.status === 'failed' ? 'failed' : '' },
    ...(withIncident ? [h('td', {}, m.incident ? link(`/desk/incidents/${m.incident}`, m.incident, { class: 'mono' }) : '—')] : []),
    recipientCell(m),
    h('td', {}, t(`notify.event.${m.event}`), h('br', {}), h('span', { class: 'muted' }, m.subject)),
    h('td', {}, statusBadge(m), ...(m.attempts > 1 || m.status !== 'sent' ? [h('br', {}), h('span', { class: 'muted' }, `${t('notify.attempts')}: ${m.attempts}`)] : [])),
    h('td', {}, m.sent_at ? formatTime(m.sent_at, l) : m.status === 'queued' && m.next_attempt_at ? `${t('notify.next')} ${formatTime(m.next_attempt_at, l)}` : formatTime(m.created_at, l)),
    h('td', { class: 'error-text' }, m.last_error),
    h('td', {}, retryButton(m, after))));
}

const columns = ['recipient', 'event', 'status', 'when', 'error', 'action'];

// The incident page's section: its messages, and "notify the organisations".
export function notificationsSection(inc: any, rerender: (message: string) => void): HTMLElement[] {
  if (!inc.notifications) return [];
  return [
    h('h2', { id: 'notifications-title' }, t('notify.title')),
    h('p', { class: 'hint' }, t('notify.hint')),
    h('button', { type: 'button', class: 'secondary', id: 'notify-organisations', onclick: async () => {
      const r = await api(`/api/v1/incidents/${inc.reference}/notify`, { method: 'POST' });
      rerender(r.ok ? '' : (await readProblem(r)).detail ?? '');
    } }, t('notify.send')),
    inc.notifications.length
      ? h('table', { id: 'notifications', 'aria-labelledby': 'notifications-title' },
        h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, t(`notify.col.${c}`))))),
        h('tbody', {}, ...messageRows(inc.notifications, false, rerender)))
      : h('p', { class: 'muted' }, t('notify.none')),
  ];
}

export async function renderOutbox(message = ''): Promise<void> {
  document.title = t('notify.outbox');
  const status = new URLSearchParams(location.search).get('status') ?? '';
  const r = await api(`/api/v1/outbox?limit=200${status ? `&status=${encodeURIComponent(status)}` : ''}`);
  if (!r.ok) { clear(main, h('h1', {}, t('notify.outbox')), errorBox((await readProblem(r)).detail ?? '')); return; }
  const { items, counts, delivery } = await r.json();
  const tabs = h('nav', { class: 'tabs', 'aria-label': t('notify.views') },
    ...[['', 'all'], ['failed', 'failed'], ['queued', 'queued'], ['sent', 'sent']].map(([value, name]) =>
      link(`/desk/outbox${value ? `?status=${value}` : ''}`, `${t(`notify.view.${name}`)}${name === 'all' ? '' : ` (${name === 'queued' ? counts.queued + counts.retrying : counts[name]})`}`,
        value === status ? { 'aria-current': 'page' } : {})));
  clear(main, h('h1', {}, t('notify.outbox')), h('p', { class: 'lead' }, t('notify.outbox.lead')),
    ...(delivery.configured ? [] : [h('div', { class: 'warning', role: 'status' }, t('notify.unconfigured'))]),
    ...(counts.failed ? [h('p', { class: 'late', id: 'failed-count' }, t('notify.failed.count').replace('{n}', String(counts.failed)))] : []),
    ...(message ? [errorBox(message)] : []),
    tabs,
    items.length
      ? h('table', { id: 'outbox' }, h('caption', { class: 'muted' }, t('audit.caption')),
        h('thead', {}, h('tr', {}, ...['incident', ...columns].map((c) => h('th', { scope: 'col' }, t(`notify.col.${c}`))))),
        h('tbody', {}, ...messageRows(items, true, (text) => void renderOutbox(text))))
      : h('p', {}, t('notify.empty')));
}

export async function renderTemplates(message = '', chosen = ''): Promise<void> {
  document.title = t('tpl.title');
  const r = await api('/api/v1/notification-templates');
  if (!r.ok) { clear(main, h('h1', {}, t('tpl.title')), errorBox((await readProblem(r)).detail ?? '')); return; }
  const { items, fields } = await r.json();
  const key = (x: any) => `${x.event}/${x.recipient}/${x.language}`;
  const current = items.find((x: any) => key(x) === chosen) ?? items[0];
  const picker = h('select', { id: 'tpl-choice', onchange: (e: Event) => void renderTemplates('', (e.target as HTMLSelectElement).value) },
    ...events.flatMap((event) => items.filter((x: any) => x.event === event).map((x: any) =>
      h('option', { value: key(x), selected: key(x) === key(current) },
        `${t(`notify.event.${x.event}`)} · ${x.recipient === 'reporter' ? t('notify.reporter') : t('tpl.organisation')} · ${x.language}${x.custom ? ` · ${t('tpl.custom')}` : ''}`))));
  const subject = h('input', { id: 'tpl-subject', type: 'text', value: current.subject }) as HTMLInputElement;
  const body = h('textarea', { id: 'tpl-body', rows: '14', class: 'mono' }, current.body) as HTMLTextAreaElement;
  const saved = h('p', { role: 'status', id: 'tpl-saved' });
  clear(main, h('h1', {}, t('tpl.title')), h('p', { class: 'lead' }, t('tpl.lead')),
    ...(message ? [errorBox(message)] : []),
    h('div', { class: 'field' }, h('label', { for: 'tpl-choice' }, t('tpl.choose')), picker),
    h('form', { novalidate: true, 'data-template': key(current), onsubmit: async (e: Event) => {
      e.preventDefault();
      const res = await postJson(`/api/v1/notification-templates/${key(current)}`, { subject: subject.value, body: body.value }, 'PUT');
      if (!res.ok) {
        const p = await readProblem(res);
        return void renderTemplates(`${p.detail ?? ''}${p.field ? ` (${p.field})` : ''}`, key(current));
      }
      await renderTemplates('', key(current));
      main.querySelector('#tpl-saved')!.textContent = t('tpl.saved');
    } },
      h('div', { class: 'field' }, h('label', { for: 'tpl-subject' }, t('tpl.subject')), subject),
      h('div', { class: 'field' }, h('label', { for: 'tpl-body' }, t('tpl.body')),
        h('p', { class: 'hint', id: 'tpl-fields' }, `${t('tpl.fields')} `, ...fields[current.recipient].flatMap((f: string) => [h('code', {}, `{{${f}}}`), ' '])), body),
      ...(current.custom ? [h('p', { class: 'muted' }, `${t('tpl.changed')} ${formatTime(current.updated_at, lang())} · ${current.updated_by}`)] : []),
      h('div', { class: 'actions' },
        h('button', { class: 'primary', type: 'submit', id: 'tpl-save' }, t('tpl.save')),
        ...(current.custom ? [h('button', { class: 'secondary', type: 'button', id: 'tpl-reset', onclick: async () => {
          const res = await api(`/api/v1/notification-templates/${key(current)}`, { method: 'DELETE' });
          void renderTemplates(res.ok ? '' : (await readProblem(res)).detail ?? '', key(current));
        } }, t('tpl.reset'))] : []))),
    saved);
  main.querySelector<HTMLElement>('.error-summary')?.focus();
}

// For the navigation: how many messages failed, so that nobody misses them.
export async function failedCount(): Promise<number> {
  const r = await api('/api/v1/outbox?limit=0');
  if (!r.ok) return 0;
  return (await r.json()).counts.failed;
}
