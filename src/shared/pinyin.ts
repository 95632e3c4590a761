import { pinyin } from 'pinyin-pro';

/**
 * A name's pinyin (拼音) as the person search matches it: the syllables joined without tones or
 * spaces, then a space and their initials — 张伟 → `zhangwei zw`. Surnames read as surnames
 * (单 shan, 曾 zeng). Stored beside the name when a person is written, since PostgreSQL has no
 * pinyin of its own; a fragment without spaces never spans the two parts.
 */
export function namePinyin(name: string): string {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', surname: 'head', nonZh: 'removed' }).filter((s) => /^[a-zü]+$/.test(s));
  const latin = syllables.map((s) => s.replace(/ü/g, 'v'));
  return `${latin.join('')} ${latin.map((s) => s[0]).join('')}`;
}

/** A search fragment written in Latin letters (pinyin), spaces and apostrophes allowed: `Zhang Wei`, `zw`, `xi'an`. */
export function isPinyinFragment(fragment: string): boolean {
  return /^[A-Za-z][A-Za-z\s']*$/.test(fragment);
}

/** The fragment as `namePinyin` writes pinyin: lower case, no spaces or apostrophes, ü as v. */
export function normalisePinyin(fragment: string): string {
  return fragment.toLowerCase().replace(/[\s']/g, '');
}
