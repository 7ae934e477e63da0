/**
 * A tokenizer-free estimate of tokens, good enough to trim context and to meter answers whose provider gave
 * no usage: about four characters a token in Latin scripts, one a character in CJK scripts.
 */
export function estimateTokens(text: string): number {
  let wide = 0
  let narrow = 0
  for (const char of text) {
    if ((char.codePointAt(0) ?? 0) >= 0x2e80) wide++
    else narrow++
  }
  return wide + Math.ceil(narrow / 4)
}
