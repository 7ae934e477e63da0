import { chromium, type Browser } from 'playwright-core'

// Debian's Chromium, never a downloaded one. QUIC, background networking and component updates are off so
// the only traffic is the test's own, and a request the test aborts is not silently retried elsewhere.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  })
}
