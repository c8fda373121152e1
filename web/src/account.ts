// The signed-in user's own settings: the second factor (TOTP). Setting it up
// shows the secret to type into an authenticator app, asks for a first code,
// then shows the recovery codes once.
import { api, errorBox, main, postJson, session } from './console';
import { clear, h, readProblem } from './dom';
import { t } from './i18n';

function grouped(secret: string): string { return secret.replace(/(.{4})/g, '$1 ').trim(); }

export async function renderAccount(message = ''): Promise<void> {
  document.title = t('account.title');
  const r = await api('/api/v1/session');
  if (!r.ok) { clear(main, h('h1', {}, t('account.title')), errorBox((await readProblem(r)).detail ?? '')); return; }
  const me = await r.json();
  const password = h('input', { id: 'totp-password', type: 'password', autocomplete: 'current-password' }) as HTMLInputElement;
  clear(main, h('h1', {}, t('account.title')), ...(message ? [errorBox(message)] : []),
    h('dl', { class: 'summary' }, h('dt', {}, t('desk.username')), h('dd', {}, me.username), h('dt', {}, t('account.role')), h('dd', {}, me.role)),
    h('h2', {}, t('account.totp')),
    me.totp_enabled
      ? h('div', {}, h('p', { id: 'totp-state' }, t('account.totp.on')),
        h('form', { novalidate: true, onsubmit: async (e: Event) => {
          e.preventDefault();
          const res = await postJson('/api/v1/session/totp', { password: password.value }, 'DELETE');
          void renderAccount(res.ok ? '' : (await readProblem(res)).detail ?? '');
        } }, h('div', { class: 'field' }, h('label', { for: 'totp-password' }, t('desk.password')), password),
          h('button', { class: 'secondary', type: 'submit' }, t('account.totp.off'))))
      : h('div', {}, h('p', { id: 'totp-state' }, t('account.totp.offstate')),
        h('button', { class: 'primary', type: 'button', id: 'totp-start', onclick: () => void startSetup() }, t('account.totp.start'))));
}

async function startSetup(): Promise<void> {
  const r = await postJson('/api/v1/session/totp', {});
  if (!r.ok) return renderAccount((await readProblem(r)).detail ?? '');
  const { secret, uri } = await r.json();
  const code = h('input', { id: 'totp-code', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code' }) as HTMLInputElement;
  const confirm = async (message = '') => {
    clear(main, h('h1', {}, t('account.totp')), ...(message ? [errorBox(message)] : []),
      h('ol', {},
        h('li', {}, t('account.totp.step1')),
        h('li', {}, t('account.totp.step2'), h('p', { class: 'secret mono', id: 'totp-secret' }, grouped(secret)),
          h('p', { class: 'hint' }, t('account.totp.uri'), ' ', h('span', { class: 'mono' }, uri))),
        h('li', {}, t('account.totp.step3'))),
      h('form', { novalidate: true, onsubmit: async (e: Event) => {
        e.preventDefault();
        const res = await postJson('/api/v1/session/totp/confirm', { code: code.value.trim() });
        if (!res.ok) return confirm((await readProblem(res)).detail ?? '');
        const { recovery_codes } = await res.json();
        if (session.me) (session.me as any).totp_enabled = true;
        clear(main, h('h1', {}, t('account.totp')), h('div', { class: 'notice', role: 'status' }, t('account.totp.done')),
          h('h2', {}, t('account.recovery')), h('p', {}, t('account.recovery.lead')),
          h('ul', { class: 'recovery mono', id: 'recovery-codes' }, ...recovery_codes.map((c: string) => h('li', {}, c))),
          h('button', { class: 'secondary', type: 'button', onclick: () => void renderAccount() }, t('account.recovery.saved')));
      } }, h('div', { class: 'field' }, h('label', { for: 'totp-code' }, t('desk.code')), code),
        h('button', { class: 'primary', type: 'submit', id: 'totp-confirm' }, t('account.totp.confirm'))));
    main.querySelector<HTMLElement>('.error-summary')?.focus();
  };
  await confirm();
}
