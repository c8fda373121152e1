// The public portal: the report form at / and the status page at
// /status/<code>#<secret>. Follows the GOV.UK form patterns: one question per
// field with a hint, an error summary that links to each wrong field, and
// errors next to the fields.
import { clear, formatSize, formatTime, h, readProblem } from './dom';
import { lang, languages, setLang, t, type Lang } from './i18n';
import { solveChallenge } from './pow';

// Plain-language choices and the RSIT class:type each one files under.
const categories: { key: string; rsit: string }[] = [
  { key: 'phishing', rsit: 'fraud:phishing' },
  { key: 'scam', rsit: 'fraud:masquerade' },
  { key: 'defacement', rsit: 'intrusions:application-compromise' },
  { key: 'malware', rsit: 'malicious-code:infected-system' },
  { key: 'account', rsit: 'intrusions:unprivileged-account-compromise' },
  { key: 'leak', rsit: 'information-content-security:data-leak' },
  { key: 'outage', rsit: 'availability:ddos' },
  { key: 'spam', rsit: 'abusive-content:spam' },
  { key: 'vulnerability', rsit: 'vulnerable:vulnerable-system' },
  { key: 'other', rsit: 'other:undetermined' },
];

const maxFiles = 10;
const maxFileBytes = 10 * 1024 * 1024;
const main = document.getElementById('main')!;
const header = document.getElementById('header')!;

function renderHeader(onChange: () => void): void {
  clear(header,
    h('a', { class: 'brand', href: '/' }, t('site.name')),
    h('ul', { class: 'lang', 'aria-label': t('lang.choose') },
      ...languages.map((l) => h('li', {},
        h('button', {
          type: 'button', lang: l.code, 'aria-pressed': String(l.code === lang()),
          onclick: () => { setLang(l.code as Lang); onChange(); },
        }, l.name)))));
}

function fieldError(id: string, message: string | undefined): HTMLElement | null {
  return message ? h('p', { class: 'error-message', id: `${id}-error` }, message) : null;
}

interface FormState {
  category: string; description: string; occurred: string; involved: string;
  contactMode: 'anonymous' | 'contact' | ''; name: string; email: string; phone: string; consent: boolean;
  files: File[];
}

const state: FormState = { category: '', description: '', occurred: '', involved: '', contactMode: '', name: '', email: '', phone: '', consent: false, files: [] };
let errors: Record<string, string> = {};

function validate(): Record<string, string> {
  const e: Record<string, string> = {};
  if (!state.category) e.category = t('error.category');
  if (!state.description.trim()) e.description = t('error.description');
  if (state.occurred && new Date(state.occurred) > new Date()) e.occurred = t('error.occurred.future');
  if (state.files.length > maxFiles) e.files = t('error.files.count', { max: maxFiles });
  const big = state.files.find((f) => f.size > maxFileBytes);
  if (big) e.files = t('error.files.size', { name: big.name, max: 10 });
  if (!state.contactMode) e.contactMode = t('error.contact.mode');
  if (state.contactMode === 'contact') {
    if (!state.email && !state.phone) e.email = t('error.contact.missing');
    if (state.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(state.email)) e.email = t('error.contact.email');
    if (!state.consent) e.consent = t('error.consent');
  }
  return e;
}

// Order of fields in the error summary: the order they appear on the page.
const fieldOrder: [string, string][] = [
  ['category', 'category-0'], ['description', 'description'], ['occurred', 'occurred'], ['files', 'files'],
  ['contactMode', 'contact-anonymous'], ['email', 'email'], ['consent', 'consent'], ['form', 'submit'],
];

function renderForm(): void {
  document.title = errors && Object.keys(errors).length ? `${t('error.title.prefix')} ${t('form.title')}` : t('form.title');
  const summary = Object.keys(errors).length
    ? h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', id: 'error-summary', 'aria-labelledby': 'error-summary-title' },
        h('h2', { id: 'error-summary-title' }, t('error.summary')),
        h('ul', {}, ...fieldOrder.filter(([k]) => errors[k]).map(([k, target]) =>
          h('li', {}, h('a', { href: `#${target}`, onclick: (ev: Event) => { ev.preventDefault(); document.getElementById(target)?.focus(); } }, errors[k])))))
    : null;

  const field = (key: string, ...content: (Node | null)[]) =>
    h('div', { class: `field${errors[key] ? ' has-error' : ''}` }, ...content);

  const categoryField = field('category',
    h('fieldset', { 'aria-describedby': `category-hint${errors.category ? ' category-error' : ''}` },
      h('legend', {}, t('form.category.label')),
      h('p', { class: 'hint', id: 'category-hint' }, t('form.category.hint')),
      fieldError('category', errors.category),
      ...categories.map((c, i) => h('div', { class: 'choice' },
        h('input', { type: 'radio', name: 'category', id: `category-${i}`, value: c.rsit, checked: state.category === c.rsit,
          'aria-describedby': `category-${i}-hint`, onchange: () => { state.category = c.rsit; } }),
        h('div', {}, h('label', { for: `category-${i}` }, t(`category.${c.key}`)),
          h('p', { class: 'hint', id: `category-${i}-hint` }, t(`category.${c.key}.hint`)))))));

  const textField = (key: keyof FormState, id: string, tag: 'textarea' | 'input', type = 'text', extra: Record<string, string> = {}) => field(key,
    h('label', { for: id }, t(`form.${id}.label`)),
    h('p', { class: 'hint', id: `${id}-hint` }, t(`form.${id}.hint`)),
    fieldError(id, errors[key]),
    h(tag, { id, name: id, type: tag === 'input' ? type : undefined, 'aria-describedby': `${id}-hint${errors[key] ? ` ${id}-error` : ''}`,
      'aria-invalid': errors[key] ? 'true' : undefined, oninput: (ev: Event) => { (state as any)[key] = (ev.target as HTMLInputElement).value; }, ...extra }));

  const description = textField('description', 'description', 'textarea', 'text', { rows: '6' });
  (description.querySelector('textarea') as HTMLTextAreaElement).value = state.description;
  const occurred = textField('occurred', 'occurred', 'input', 'date', { max: new Date().toISOString().slice(0, 10) });
  (occurred.querySelector('input') as HTMLInputElement).value = state.occurred;
  const involved = textField('involved', 'involved', 'textarea', 'text', { rows: '3' });
  (involved.querySelector('textarea') as HTMLTextAreaElement).value = state.involved;

  const fileList = h('ul', { class: 'plain', id: 'file-list' }, ...state.files.map((f) => h('li', {}, `${f.name} (${formatSize(f.size)})`)));
  const files = field('files',
    h('label', { for: 'files' }, t('form.files.label')),
    h('p', { class: 'hint', id: 'files-hint' }, t('form.files.hint', { max: maxFiles, size: 10 })),
    fieldError('files', errors.files),
    h('input', { type: 'file', id: 'files', name: 'files', multiple: true, 'aria-describedby': 'files-hint',
      onchange: (ev: Event) => { state.files = Array.from((ev.target as HTMLInputElement).files ?? []); clear(fileList, ...state.files.map((f) => h('li', {}, `${f.name} (${formatSize(f.size)})`))); } }),
    fileList);

  const contactDetails = h('div', { class: 'conditional', id: 'contact-details', hidden: state.contactMode !== 'contact' },
    textField('name', 'name', 'input', 'text', { autocomplete: 'name' }),
    textField('email', 'email', 'input', 'email', { autocomplete: 'email', spellcheck: 'false' }),
    textField('phone', 'phone', 'input', 'tel', { autocomplete: 'tel' }),
    field('consent', fieldError('consent', errors.consent),
      h('div', { class: 'choice' },
        h('input', { type: 'checkbox', id: 'consent', checked: state.consent, onchange: (ev: Event) => { state.consent = (ev.target as HTMLInputElement).checked; } }),
        h('label', { for: 'consent' }, t('form.consent.label')))));
  for (const id of ['name', 'email', 'phone'] as const) (contactDetails.querySelector(`#${id}`) as HTMLInputElement).value = state[id];

  const contact = field('contactMode',
    h('fieldset', {},
      h('legend', {}, t('form.contact.label')),
      h('p', { class: 'hint' }, t('form.contact.hint')),
      fieldError('contactMode', errors.contactMode),
      h('div', { class: 'choice' },
        h('input', { type: 'radio', name: 'contact', id: 'contact-anonymous', checked: state.contactMode === 'anonymous',
          onchange: () => { state.contactMode = 'anonymous'; contactDetails.hidden = true; } }),
        h('label', { for: 'contact-anonymous' }, t('form.contact.anonymous'))),
      h('div', { class: 'choice' },
        h('input', { type: 'radio', name: 'contact', id: 'contact-give', checked: state.contactMode === 'contact', 'aria-controls': 'contact-details',
          onchange: () => { state.contactMode = 'contact'; contactDetails.hidden = false; } }),
        h('label', { for: 'contact-give' }, t('form.contact.give'))),
      contactDetails));

  const progress = h('p', { class: 'progress', role: 'status', id: 'progress' });
  const submit = h('button', { class: 'primary', type: 'submit', id: 'submit' }, t('form.submit')) as HTMLButtonElement;
  const form = h('form', { novalidate: true, onsubmit: (ev: Event) => { ev.preventDefault(); void send(submit, progress); } },
    categoryField, description, occurred, involved, files, contact,
    fieldError('form', errors.form), h('p', { class: 'hint' }, t('form.privacy')), submit, progress);

  clear(main, h('h1', {}, t('form.title')), h('p', { class: 'lead' }, t('form.lead')),
    h('div', { class: 'notice' }, t('form.emergency')), ...(summary ? [summary] : []), form);
  if (summary) (summary as HTMLElement).focus();
}

async function send(button: HTMLButtonElement, progress: HTMLElement): Promise<void> {
  errors = validate();
  if (Object.keys(errors).length) return renderForm();
  button.disabled = true;
  try {
    progress.textContent = t('form.progress.check');
    const challenge = await (await fetch('/api/v1/public/challenge')).json();
    const solution = await solveChallenge(challenge.challenge, challenge.difficulty);
    progress.textContent = t('form.progress.send');
    const report: Record<string, unknown> = {
      category: state.category, description: state.description, involved: state.involved, language: lang(),
      anonymous: state.contactMode === 'anonymous', consent: state.consent,
    };
    if (state.occurred) report.occurred_at = state.occurred;
    if (state.contactMode === 'contact') report.contact = { name: state.name, email: state.email, phone: state.phone };
    const body = new FormData();
    body.set('report', JSON.stringify(report));
    for (const f of state.files) body.append('files', f, f.name);
    const response = await fetch('/api/v1/reports', {
      method: 'POST', body, headers: { 'X-Pow-Challenge': challenge.challenge, 'X-Pow-Solution': solution },
    });
    if (!response.ok) {
      const problem = await readProblem(response);
      errors = { form: `${t('error.server')} ${problem.detail ?? ''}` };
      return renderForm();
    }
    const created = await response.json();
    sessionStorage.setItem('jaga.lastReport', JSON.stringify(created));
    renderConfirmation(created);
  } catch {
    errors = { form: t('error.network') };
    renderForm();
  } finally {
    button.disabled = false;
  }
}

function renderConfirmation(created: { tracking_code: string; status_url: string; secret: string }): void {
  document.title = t('done.title');
  const statusPath = `/status/${created.tracking_code}#${created.secret}`;
  clear(main,
    h('div', { class: 'panel', role: 'status' }, h('h1', {}, t('done.title')), h('p', {}, t('done.code')),
      h('p', { class: 'code', id: 'tracking-code' }, created.tracking_code)),
    h('p', {}, t('done.keep')),
    h('h2', {}, t('done.link.title')),
    h('p', {}, t('done.link.text')),
    h('p', { class: 'secret-link', id: 'status-link' }, new URL(statusPath, location.origin).href),
    h('p', {}, h('a', { href: statusPath, id: 'open-status' }, t('done.link.open'))),
    h('h2', {}, t('done.next.title')), h('p', {}, t('done.next.text')));
  (main as HTMLElement).focus();
}

async function renderStatus(code: string): Promise<void> {
  const secret = decodeURIComponent(location.hash.slice(1));
  document.title = t('status.title');
  if (!secret) {
    clear(main, h('h1', {}, t('status.title')), h('p', {}, t('status.nosecret')));
    return;
  }
  const response = await fetch(`/api/v1/reports/${encodeURIComponent(code)}`, { headers: { 'X-Report-Secret': secret } });
  if (!response.ok) {
    clear(main, h('h1', {}, t('status.title')), h('div', { class: 'error-summary', role: 'alert' }, h('p', {}, t('status.notfound'))));
    return;
  }
  const report = await response.json();
  const l = lang();
  const notes = report.notes.length
    ? h('ul', { class: 'plain' }, ...report.notes.map((n: any) => h('li', {}, h('span', { class: 'muted' }, formatTime(n.created_at, l)), ' — ', n.text)))
    : h('p', { class: 'muted' }, t('status.notes.none'));
  const additions = report.additions.length
    ? h('ul', { class: 'plain' }, ...report.additions.map((a: any) => h('li', {}, h('span', { class: 'muted' }, formatTime(a.created_at, l)), ' — ', a.text,
        ...a.attachments.map((f: any) => h('span', { class: 'muted' }, ` [${f.filename}]`)))))
    : h('p', { class: 'muted' }, t('status.additions.none'));
  const addText = h('textarea', { id: 'addition', rows: '4', 'aria-describedby': 'addition-hint' }) as HTMLTextAreaElement;
  const addFiles = h('input', { type: 'file', id: 'addition-files', multiple: true }) as HTMLInputElement;
  const addStatus = h('p', { role: 'status', id: 'addition-status', class: 'progress' });
  const addForm = h('form', { novalidate: true, onsubmit: async (ev: Event) => {
    ev.preventDefault();
    if (!addText.value.trim() && !addFiles.files?.length) { addStatus.textContent = t('status.add.empty'); return; }
    const body = new FormData();
    body.set('addition', JSON.stringify({ text: addText.value }));
    for (const f of Array.from(addFiles.files ?? [])) body.append('files', f, f.name);
    const r = await fetch(`/api/v1/reports/${encodeURIComponent(code)}/additions`, { method: 'POST', body, headers: { 'X-Report-Secret': secret } });
    if (!r.ok) { addStatus.textContent = `${t('error.server')} ${(await readProblem(r)).detail ?? ''}`; return; }
    await renderStatus(code);
    document.getElementById('addition-status')!.textContent = t('status.add.done');
  } },
    h('div', { class: 'field' }, h('label', { for: 'addition' }, t('status.add.label')), h('p', { class: 'hint', id: 'addition-hint' }, t('status.add.hint')), addText),
    h('div', { class: 'field' }, h('label', { for: 'addition-files' }, t('form.files.label')), addFiles),
    h('button', { class: 'primary', type: 'submit' }, t('status.add.submit')), addStatus);
  clear(main,
    h('h1', {}, t('status.title')),
    h('dl', { class: 'summary' },
      h('dt', {}, t('status.code')), h('dd', { class: 'mono', id: 'status-code' }, report.tracking_code),
      h('dt', {}, t('status.status')), h('dd', {}, h('strong', { class: 'tag', id: 'status-value' }, t(`state.${report.status}`))),
      h('dt', {}, t('status.received')), h('dd', {}, formatTime(report.created_at, l)),
      h('dt', {}, t('status.updated')), h('dd', {}, formatTime(report.updated_at, l))),
    h('p', {}, t(`state.${report.status}.explain`)),
    h('h2', {}, t('status.notes')), notes,
    h('h2', {}, t('status.additions')), additions,
    h('h2', {}, t('status.add.title')), addForm);
}

function route(): void {
  const statusMatch = location.pathname.match(/^\/status\/([A-Za-z0-9-]+)$/);
  renderHeader(route);
  if (statusMatch) void renderStatus(statusMatch[1]);
  else renderForm();
}

route();
