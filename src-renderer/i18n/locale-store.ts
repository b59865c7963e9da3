import { create } from 'zustand';
import { ar, en, type MessageKey } from './messages';

export type Lang = 'en' | 'ar';

interface LocaleState {
  lang: Lang;
  setLang(lang: Lang): void;
}

const saved = (): Lang => {
  try {
    return globalThis.localStorage?.getItem('bp.lang') === 'ar' ? 'ar' : 'en';
  } catch {
    return 'en';
  }
};

export const useLocale = create<LocaleState>((set) => ({
  lang: saved(),
  setLang(lang) {
    try { globalThis.localStorage?.setItem('bp.lang', lang); } catch { /* private mode: the choice lasts this session */ }
    set({ lang });
  },
}));

export function translate(lang: Lang, key: MessageKey): string {
  return lang === 'ar' ? ar[key] : en[key];
}

/** The translator for the current language; re-renders when it changes. */
export function useT(): (key: MessageKey) => string {
  const lang = useLocale((s) => s.lang);
  return (key) => translate(lang, key);
}
