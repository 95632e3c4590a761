/**
 * Masking kinds the policy can ask for. Each keeps just enough to recognise a record without
 * disclosing it (个人信息保护法: minimum necessary).
 */
export const MASK_KINDS = ['idNumber', 'phone', 'name', 'address', 'birthDate', 'text'] as const;
export type MaskKind = (typeof MASK_KINDS)[number];

/** `211402199003071234` → `211402********1234`: region and last four kept. */
export function maskIdNumber(value: string): string {
  if (value.length < 10) return '*'.repeat(value.length);
  return value.slice(0, 6) + '*'.repeat(value.length - 10) + value.slice(-4);
}

/** `13812345678` → `138****5678`. */
export function maskPhone(value: string): string {
  if (value.length < 7) return '*'.repeat(value.length);
  return value.slice(0, 3) + '*'.repeat(value.length - 7) + value.slice(-4);
}

/** `张三明` → `张*明`, `张三` → `张*`, `欧阳娜娜` → `欧**娜`: first and (for 3+) last character kept. */
export function maskName(value: string): string {
  const chars = [...value];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}

/**
 * Cut an address after its village or community (村/社区/居委会): `…钢屯镇河东村3组12号` →
 * `…钢屯镇河东村`. Without such a marker, keep the part up to the township (镇/乡/街道).
 */
export function maskAddress(value: string): string {
  const village = /^.*?(?:镇|乡|街道).*?(?:村|社区|居委会)/.exec(value);
  if (village) return village[0];
  const township = /^.*?(?:镇|乡|街道)/.exec(value);
  return township ? township[0] : '';
}

/** `1990-03-07` → `1990`: the year only. */
export function maskBirthDate(value: string): string {
  return value.slice(0, 4);
}

/** Free text is either shown or not: masking shows its length only. */
export function maskText(value: string): string {
  return `[${[...value].length} characters withheld]`;
}

const MASKERS: Record<MaskKind, (v: string) => string> = {
  idNumber: maskIdNumber,
  phone: maskPhone,
  name: maskName,
  address: maskAddress,
  birthDate: maskBirthDate,
  text: maskText,
};

/** Masks a resolved value; lists are masked element by element, null stays null. */
export function applyMask(kind: MaskKind, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((v) => applyMask(kind, v));
  // A date as the ISO text GraphQL sends; numbers and booleans print the same either way.
  return MASKERS[kind](typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value));
}
