import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs'
import { readFile } from 'node:fs/promises'

/** One word or phrase a line; blank lines and lines starting with `#` are skipped. */
export function parseWordsFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
}

export const readWordsFileSync = (path: string): string[] => parseWordsFile(readFileSync(path, 'utf8'))
export const readWordsFile = async (path: string): Promise<string[]> =>
  parseWordsFile(await readFile(path, 'utf8'))

/**
 * Calls `onChange` when the file's size or modification time changes. Polls (`fs.watchFile`) rather than
 * `fs.watch`, which loses a file that an editor or a deploy replaces by renaming a new one over it.
 */
export function watchWordsFile(path: string, intervalMs: number, onChange: () => void): () => void {
  const listener = (current: Stats, previous: Stats) => {
    if (current.mtimeMs !== previous.mtimeMs || current.size !== previous.size) onChange()
  }
  watchFile(path, { interval: intervalMs, persistent: false }, listener)
  return () => unwatchFile(path, listener)
}
