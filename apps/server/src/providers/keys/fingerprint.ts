import { createHash } from 'node:crypto'

/**
 * What names a key in metrics, logs and the operator endpoint: 12 hex digits of its SHA-256, enough to tell
 * keys apart and to match one against `printf %s "$KEY" | sha256sum`, never enough to recover it.
 */
export function keyFingerprint(...secret: readonly string[]): string {
  return createHash('sha256').update(secret.join('\n')).digest('hex').slice(0, 12)
}
