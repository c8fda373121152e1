// The audit log for administrators: the newest entries, filtered by who and
// by action, and a check of the hash chain.
import { api, errorBox, go, main } from './console';
import { clear, formatTime, h, readProblem } from './dom';
import { lang, t } from './i18n';

export async function renderAudit(): Promise<void> {
  document.title = t('audit.title');
  const params = new URLSearchParams(location.search);
  const query = new URLSearchParams();
  for (const name of ['actor', 'action']) if (params.get(name)) query.set(name, params.get(name)!);
  query.set('limit', '200');
  const r = await api(`/api/v1/audit?${query}`);
  if (!r.ok) { clear(main, h('h1', {}, t('audit.title')), errorBox((await readProblem(r)).detail ?? '')); return; }
  const { items } = await r.json();
  const field = (name: string) => h('div', { class: 'field' }, h('label', { for: `audit-${name}` }, t(`audit.${name}`)),
    h('input', { type: 'text', id: `audit-${name}`, name, value: params.get(name) ?? '' }));
  const result = h('p', { role: 'status', id: 'audit-check' });
  clear(main, h('h1', {}, t('audit.title')), h('p', { class: 'lead' }, t('audit.lead')),
    h('form', { class: 'filters', onsubmit: (e: Event) => {
      e.preventDefault();
      const q = new URLSearchParams();
      for (const el of Array.from((e.target as HTMLFormElement).elements) as HTMLInputElement[]) if (el.name && el.value) q.set(el.name, el.value);
      go(`/desk/audit?${q}`);
    } }, field('actor'), field('action'), h('button', { class: 'secondary', type: 'submit' }, t('desk.filter.apply'))),
    h('button', { class: 'secondary', type: 'button', id: 'audit-verify', onclick: async () => {
      const res = await api('/api/v1/audit/verify');
      const check = await res.json();
      result.textContent = res.ok
        ? (check.intact ? `${t('audit.intact')} (${check.entries})` : `${t('audit.broken')} ${check.first_broken_entry}: ${check.problem}`)
        : check.detail ?? '';
      result.className = res.ok && check.intact ? 'notice' : 'error-summary';
    } }, t('audit.verify')), result,
    items.length ? h('table', {}, h('caption', { class: 'muted' }, t('audit.caption')),
      h('thead', {}, h('tr', {}, ...['at', 'actor', 'action', 'target', 'details', 'address'].map((c) => h('th', { scope: 'col' }, t(`audit.col.${c}`))))),
      h('tbody', {}, ...items.map((e: any) => h('tr', {},
        h('td', {}, formatTime(e.at, lang())), h('td', {}, e.actor), h('td', { class: 'mono nowrap' }, e.action),
        h('td', {}, [e.target_type, e.target].filter(Boolean).join(' ')),
        h('td', { class: 'mono' }, Object.keys(e.details).length ? JSON.stringify(e.details) : ''),
        h('td', { class: 'mono nowrap' }, e.remote_address))))) : h('p', {}, t('audit.empty')));
}
