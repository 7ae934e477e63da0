import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { chatConfigSchema } from '../../src/config/chat'
import { createProviderCatalog, providersFromConfig } from '../../src/providers/catalog'
import { collect } from './collect'

const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGTERM')
})

/** Starts a fake's script as a user would and reads the two lines it prints: where, and a configuration. */
async function startScript(name: string): Promise<{ chat: unknown }> {
  const script = fileURLToPath(new URL(`../fakes/${name}`, import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: { ...process.env, FAKE_DELAY_MS: '0' },
  })
  children.push(child)
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  expect(String((await lines.next()).value)).toMatch(/listening at (http|ws):\/\/127\.0\.0\.1:\d+/)
  return JSON.parse(String((await lines.next()).value)) as { chat: unknown }
}

describe('fakes started alone', () => {
  it.each(['start-openai.ts', 'start-spark.ts'])(
    '%s prints a configuration that answers',
    async (script) => {
      const config = chatConfigSchema.parse((await startScript(script)).chat)
      const catalog = createProviderCatalog(providersFromConfig(config.providers))
      const provider = catalog.find()
      if (!provider) throw new Error('the printed configuration has no provider')
      const request = {
        model: provider.defaultModel,
        messages: [{ role: 'user' as const, content: 'hello fake' }],
      }
      const result = await collect(provider.stream(request, new AbortController().signal))
      await catalog.close()
      expect(result.error).toBeUndefined()
      expect(result.text()).toMatch(/answer to: hello fake$|^Echo: hello fake$/)
    },
    15_000,
  )
})
