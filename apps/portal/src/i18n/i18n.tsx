import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../api/client';
import { en, MessageKey } from './en';
import { fr } from './fr';
import { pluralForm } from './plural';

export type Lang = 'en' | 'fr';
export const LANGS: Lang[] = ['en', 'fr'];
const DICTS: Record<Lang, Record<string, string>> = { en, fr };
const LANG_KEY = 'fairshare.lang';

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;
/** Keys that come as a pair `<key>.one` / `<key>.other`. */
export type PluralKey = { [K in MessageKey]: K extends `${infer B}.one` ? (`${B}.other` extends MessageKey ? B : never) : never }[MessageKey];
/** A count label: the singular or plural sentence for `count`, with `{n}` the count formatted for the language. */
export type TranslateCount = (key: PluralKey, count: number | string, vars?: Vars) => string;

interface I18n {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: Translate;
  /** Count labels ("1 ligne refusée", "2 rows rejected"); see plural.ts for the rules. */
  tn: TranslateCount;
  /** A translated sentence for an API failure, by its code; the server's message when we have none. */
  tError: (e: unknown) => string;
  /** Locale for Intl formatting. */
  locale: string;
}

function interpolate(s: string, vars?: Vars): string {
  return vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : s;
}

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === 'en' || saved === 'fr') return saved;
  } catch {}
  return navigator.language?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(LANG_KEY, l);
    } catch {}
  }, []);
  const value = useMemo<I18n>(() => {
    const dict = DICTS[lang];
    const t: Translate = (key, vars) => interpolate(dict[key] ?? en[key] ?? key, vars);
    const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
    const tn: TranslateCount = (key, count, vars) => {
      const text = String(count);
      const n = /^-?\d+$/.test(text) ? (new Intl.NumberFormat(locale).format as unknown as (v: string) => string)(text) : text;
      return t(`${key}.${pluralForm(lang, count)}` as MessageKey, { n, ...vars });
    };
    const tError = (e: unknown) => {
      if (e instanceof ApiError) {
        const known = dict[`errors.${e.code}`];
        if (known) return interpolate(known, { message: e.message });
        if (e.status === 0) return t('errors.NETWORK_ERROR');
        return interpolate(dict['errors.fallback'], { message: e.message || e.code, code: e.code });
      }
      return interpolate(dict['errors.fallback'], { message: (e as Error)?.message ?? String(e), code: 'CLIENT' });
    };
    return { lang, setLang, t, tn, tError, locale };
  }, [lang, setLang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

/** The page title follows the page and the language. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Fairshare`;
  }, [title]);
}
