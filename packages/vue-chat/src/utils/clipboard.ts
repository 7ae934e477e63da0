/** Copies `text`; resolves false where the Clipboard API is missing or refused (insecure origin, no focus). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    return false
  }
}
