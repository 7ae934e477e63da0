import { ErrorCode } from '@kit/protocol'
import { unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { PNG_SIGNATURE } from '../../src/images/png'
import type { TestServer } from '../support/server'
import { useKitHarness } from '../chat/harness'

const USER = { 'x-kit-user': 'image-user-000001' }

const kit = useKitHarness()
const server = kit.server

const generate = (s: TestServer, body: unknown) =>
  fetch(`${s.url}/api/images`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...USER },
    body: JSON.stringify(body),
  })

const download = (s: TestServer, query: Record<string, string>) =>
  fetch(`${s.url}/api/images/download?${new URLSearchParams(query)}`, { headers: USER })

const imageRequests = () => kit.fake.requests.filter((r) => r.path === '/v1/images/generations')
const isPng = (bytes: Uint8Array) => Buffer.from(bytes.subarray(0, 8)).equals(PNG_SIGNATURE)

describe('POST /api/images', () => {
  it('answers URLs or base64 pictures from an OpenAI instance', async () => {
    const s = await server()
    const asUrls = await generate(s, { prompt: 'a red fox', n: 2, size: '256x256', model: 'dall-e-2' })
    expect(asUrls.status).toBe(200)
    const { images } = (await asUrls.json()) as { images: { url: string }[] }
    expect(images).toHaveLength(2)
    const picture = await fetch(images[0]?.url ?? '')
    expect(isPng(new Uint8Array(await picture.arrayBuffer()))).toBe(true)
    const asB64 = await (
      await generate(s, { prompt: 'a red fox', format: 'b64_json', model: 'dall-e-2', size: '512x512' })
    ).json()
    expect(isPng(Buffer.from(asB64.images[0].b64, 'base64'))).toBe(true)
    expect(imageRequests().map((r) => r.body)).toEqual([
      {
        model: 'dall-e-2',
        prompt: 'a red fox',
        n: 2,
        size: '256x256',
        response_format: 'url',
        user: expect.stringMatching(/^[0-9a-f]{32}$/),
      },
      {
        model: 'dall-e-2',
        prompt: 'a red fox',
        n: 1,
        size: '512x512',
        response_format: 'b64_json',
        user: expect.any(String),
      },
    ])
  })

  it('leaves response_format out for gpt-image models, which answer base64 only', async () => {
    const s = await server()
    const res = await generate(s, { prompt: 'a logo', model: 'gpt-image-1', format: 'b64_json' })
    expect(res.status).toBe(200)
    expect(imageRequests()[0]?.body).not.toHaveProperty('response_format')
  })

  it('checks n, size and format against the model before asking the provider', async () => {
    const s = await server()
    const cases: [unknown, string, RegExp][] = [
      [{ prompt: 'x', model: 'dall-e-3', n: 2 }, ErrorCode.ValidationFailed, /at most 1/],
      [
        { prompt: 'x', model: 'dall-e-2', size: '1792x1024' },
        ErrorCode.ValidationFailed,
        /256x256, 512x512, 1024x1024/,
      ],
      [{ prompt: 'x', model: 'gpt-image-1', format: 'url' }, ErrorCode.ValidationFailed, /b64_json only/],
      [{ prompt: 'x', model: 'dall-e-9' }, ErrorCode.UnknownModel, /dall-e-9/],
      [{ prompt: 'x', provider: 'nope' }, ErrorCode.UnknownProvider, /nope/],
      [{ prompt: 'x', n: 11 }, ErrorCode.ValidationFailed, /n/],
      [{ prompt: 'x', size: 'big' }, ErrorCode.ValidationFailed, /WIDTHxHEIGHT/],
    ]
    for (const [body, code, message] of cases) {
      const res = await generate(s, body)
      expect(res.status).toBe(400)
      const { error } = await res.json()
      expect(error.code).toBe(code)
      expect(error.message).toMatch(message)
    }
    expect(imageRequests()).toHaveLength(0)
  })

  it('draws offline with the demo when it is the only instance', async () => {
    const s = await server({ providers: [{ type: 'demo' }] })
    const { images } = await (await generate(s, { prompt: 'offline', size: '256x256' })).json()
    expect(images[0].url).toMatch(/^data:image\/png;base64,/)
  })

  it('passes a provider failure on as a JSON error', async () => {
    const s = await server()
    kit.fake.enqueue({ kind: 'status', status: 429, code: 'insufficient_quota' })
    const res = await generate(s, { prompt: 'x', model: 'dall-e-2', size: '256x256' })
    expect(res.status).toBe(502)
    expect(await res.json()).toMatchObject({ error: { code: ErrorCode.ProviderQuota } })
  })
})

describe('GET /api/images/download', () => {
  it('answers one PNG when n is 1', async () => {
    const s = await server()
    const res = await download(s, { prompt: 'one', model: 'dall-e-2', size: '256x256' })
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename=image.png')
    expect(isPng(new Uint8Array(await res.arrayBuffer()))).toBe(true)
    expect(imageRequests()[0]?.body).toMatchObject({ n: 1, response_format: 'b64_json' })
  })

  it('answers a ZIP of n PNGs when n > 1', async () => {
    const s = await server()
    const res = await download(s, { prompt: 'three', n: '3', model: 'dall-e-2', size: '256x256' })
    expect(res.headers.get('content-type')).toBe('application/zip')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename=images.zip')
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()))
    expect(Object.keys(files)).toEqual(['image-1.png', 'image-2.png', 'image-3.png'])
    expect(Object.values(files).every(isPng)).toBe(true)
    expect(Buffer.from(files['image-1.png'] ?? []).equals(Buffer.from(files['image-2.png'] ?? []))).toBe(
      false,
    )
  })

  it('fetches the pictures when the model answers URLs only', async () => {
    const s = await server({
      images: { models: { 'dall-e-2': { sizes: ['256x256'], maxN: 4, formats: ['url'] } } },
    })
    const res = await download(s, { prompt: 'by url', n: '2', model: 'dall-e-2', size: '256x256' })
    expect(Object.keys(unzipSync(new Uint8Array(await res.arrayBuffer())))).toHaveLength(2)
    expect(imageRequests()[0]?.body).toMatchObject({ response_format: 'url' })
    expect(kit.fake.requests.filter((r) => r.path.startsWith('/files/'))).toHaveLength(2)
  })

  it('validates the query like the POST', async () => {
    const s = await server()
    const res = await download(s, { prompt: 'x', n: 'two' })
    expect(res.status).toBe(400)
    expect((await download(s, { prompt: 'x', model: 'dall-e-3', n: '2' })).status).toBe(400)
  })
})
