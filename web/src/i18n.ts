// Message catalogs (id, en, zh) and the choice of language: the one the person
// picked before (remembered), else the browser's Accept-Language order, else
// Indonesian. Every visible string comes from a catalog.
import en from './i18n/en.json';
import id from './i18n/id.json';
import zh from './i18n/zh.json';

export type Lang = 'id' | 'en' | 'zh';
const catalogs: Record<Lang, Record<string, string>> = { id, en, zh };
export const languages: { code: Lang; name: string }[] = [
  { code: 'id', name: 'Bahasa Indonesia' },
  { code: 'en', name: 'English' },
  { code: 'zh', name: '中文' },
];

const storageKey = 'jaga.lang';

function fromBrowser(): Lang {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'id' || base === 'in' || base === 'ms') return 'id';
    if (base === 'en') return 'en';
    if (base === 'zh') return 'zh';
  }
  return 'id';
}

let current: Lang = (() => {
  const saved = localStorage.getItem(storageKey);
  return saved === 'id' || saved === 'en' || saved === 'zh' ? saved : fromBrowser();
})();

export function lang(): Lang { return current; }

export function setLang(next: Lang): void {
  current = next;
  localStorage.setItem(storageKey, next);
  document.documentElement.lang = next === 'zh' ? 'zh-Hans' : next;
}

export function t(key: string, vars: Record<string, string | number> = {}): string {
  let text = catalogs[current][key] ?? catalogs.en[key] ?? key;
  for (const [name, value] of Object.entries(vars)) text = text.replaceAll(`{${name}}`, String(value));
  return text;
}

document.documentElement.lang = current === 'zh' ? 'zh-Hans' : current;
