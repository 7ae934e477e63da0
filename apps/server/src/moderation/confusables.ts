/**
 * Cyrillic, Greek and other letters drawn like a Latin one, by the Latin letter they pass for. Case
 * matters: `Н` reads as H but `н` as a small capital H, Greek `Η` is H while `η` is n, so the map is applied
 * before lower-casing, to text and word list alike. Deliberately small: only letters that pass for the
 * Latin one in common fonts.
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  a: 'АаΑαɑ',
  b: 'ВвьΒβ',
  c: 'Сс',
  d: 'Ԁԁ',
  e: 'ЕеΕε',
  g: 'ɡ',
  h: 'НнҺһΗ',
  i: 'ІіΙιıɩ',
  j: 'Јј',
  k: 'КкΚκ',
  l: 'Ӏӏ',
  m: 'МмΜ',
  n: 'Νη',
  o: 'ОоΟο',
  p: 'РрΡρ',
  q: 'Ԛԛ',
  s: 'Ѕѕ',
  t: 'ТтΤτ',
  u: 'υ',
  v: 'ν',
  w: 'Ԝԝω',
  x: 'ХхΧχ',
  y: 'УуҮүΥγʏ',
  z: 'Ζ',
}

const LATIN_OF = new Map(
  Object.entries(LOOK_ALIKES).flatMap(([latin, chars]) =>
    Array.from(chars, (char) => [char, latin] as const),
  ),
)

export const lookAlikeOf = (char: string): string => LATIN_OF.get(char) ?? char
