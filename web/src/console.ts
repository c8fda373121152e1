// What the desk console's pages share: the signed-in user, API calls with the
// CSRF token, in-page navigation, and the error box.
import { h } from './dom';
import { t } from './i18n';

export const main = document.getElementById('main')!;
export const header = document.getElementById('header')!;
export interface Me { username: string; role: string; csrf_token: string; must_change_password: boolean }
export const session: { me: Me | null } = { me: null };

let router: () => Promise<void> = async () => {};
export function setRouter(route: () => Promise<void>): void { router = route; }

export async function api(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (session.me && init.method && init.method !== 'GET') headers.set('X-CSRF-Token', session.me.csrf_token);
  return fetch(path, { ...init, headers, credentials: 'same-origin' });
}

export function postJson(path: string, body: unknown, method = 'POST'): Promise<Response> {
  return api(path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

export function go(path: string): void { history.pushState(null, '', path); void router(); }

export function link(path: string, text: string, attrs: Record<string, string> = {}): HTMLElement {
  return h('a', { href: path, ...attrs, onclick: (e: Event) => { e.preventDefault(); go(path); } }, text);
}

export function errorBox(message: string): HTMLElement {
  return h('div', { class: 'error-summary', role: 'alert', tabindex: '-1' }, h('h2', {}, t('error.summary')), h('p', {}, message));
}

// Analysts and administrators run incidents; operators only take reports.
export function runsIncidents(): boolean { return session.me?.role === 'analyst' || session.me?.role === 'administrator'; }
// Analysts, administrators and partner liaisons work with the store of indicators.
export function readsIndicators(): boolean { return ['analyst', 'administrator', 'partner-liaison'].includes(session.me?.role ?? ''); }
// An organisation contact sees only its organisation's incidents, and only their public side.
export function isOrganisationContact(): boolean { return session.me?.role === 'organisation-contact'; }

export const rsitCategories = ['fraud:phishing', 'fraud:masquerade', 'intrusions:application-compromise', 'malicious-code:infected-system',
  'intrusions:unprivileged-account-compromise', 'information-content-security:data-leak', 'availability:ddos', 'abusive-content:spam',
  'vulnerable:vulnerable-system', 'other:undetermined'];
