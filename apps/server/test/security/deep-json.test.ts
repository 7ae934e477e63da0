import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nestsDeeperThan } from '../../src/http/json-depth'
import { startTestServer, type TestServer } from '../support/server'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ http: { maxJsonDepth: 8 } })
})

afterAll(() => server.close())

const bytes = (text: string) => Buffer.from(text)
const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`

async function postRaw(path: string, body: string) {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.config.publishSecret}` },
    body,
  })
  return { status: res.status, body: (await res.json()) as unknown }
}

describe('JSON nested too deep', () => {
  it('is refused with 400 json_too_deep, closed or not, before anything walks it', async () => {
    const tooDeep = { status: 400, body: { error: { code: 'json_too_deep', message: expect.any(String) } } }
    // 80 KB, under the size limit: the body of the attack review.
    expect(await postRaw('/api/events/deep-1', `{"data":${'['.repeat(40_000)}`)).toEqual(tooDeep)
    expect(await postRaw('/api/events/deep-1', `{"data":${nested(40_000)}}`)).toEqual(tooDeep)
    expect(await postRaw('/api/chat', `{"prompt":"x","messages":${nested(9)}}`)).toEqual(tooDeep)
  })

  it('lets a body at the limit through to its schema', async () => {
    // `data` nests 7 deep inside the body's own object: 8 levels.
    const res = await postRaw('/api/events/deep-2', `{"data":${nested(7)}}`)
    expect(res).toEqual({ status: 200, body: { id: 1, delivered: 0 } })
  })
})

describe('nestsDeeperThan', () => {
  it('counts the brackets of arrays and objects, not those inside strings', () => {
    expect(nestsDeeperThan(bytes('{"a":[{"b":[]}]}'), 4)).toBe(false)
    expect(nestsDeeperThan(bytes('{"a":[{"b":[[]]}]}'), 4)).toBe(true)
    expect(nestsDeeperThan(bytes(`{"s":"${'['.repeat(100)}"}`), 1)).toBe(false)
    // An escaped quote does not end the string; an escaped backslash before a quote does.
    expect(nestsDeeperThan(bytes(`{"s":"\\"[[[["}`), 1)).toBe(false)
    expect(nestsDeeperThan(bytes(`{"s":"\\\\",[[[[]]]]}`), 2)).toBe(true)
    expect(nestsDeeperThan(bytes('"[[[["'), 0)).toBe(false)
  })
})
