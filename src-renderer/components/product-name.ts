import type { Lang } from '../i18n/locale-store';

/** The product's name in the screen's language, falling back to English where no Arabic name was entered. */
export function productName(lang: Lang, p: { nameEn: string; nameAr: string }): string {
  return lang === 'ar' && p.nameAr ? p.nameAr : p.nameEn;
}
