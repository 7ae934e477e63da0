/**
 * Small Cyrillic, Greek and other letters drawn like a Latin one, by the Latin letter they pass for.
 * Applied after lower-casing, to text and word list alike, so that matching stays blind to case in every
 * script: a capital is folded by its small letter, which for Greek Η, Μ, Ν, Υ is not the Latin letter
 * the capital resembles (Η is read as h but η as n). Deliberately small: only letters that pass for the
 * Latin one in common fonts.
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  a: 'аαɑ',
  b: 'вьβ',
  c: 'сϲ',
  d: 'ԁ',
  e: 'еε',
  g: 'ɡ',
  h: 'һн',
  i: 'іιıɩ',
  j: 'јϳ',
  k: 'кκ',
  l: 'ӏ',
  m: 'м',
  n: 'η',
  o: 'оο',
  p: 'рρ',
  q: 'ԛ',
  s: 'ѕ',
  t: 'тτ',
  u: 'υ',
  v: 'ν',
  w: 'ԝω',
  x: 'хχ',
  y: 'уүγʏ',
  z: 'ζ',
}

const LATIN_OF = new Map(
  Object.entries(LOOK_ALIKES).flatMap(([latin, chars]) =>
    Array.from(chars, (char) => [char, latin] as const),
  ),
)

export const lookAlikeOf = (char: string): string => LATIN_OF.get(char) ?? char
