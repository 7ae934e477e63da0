import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannelRegistry, createKitRouter, type KitRouter } from '../../src/index'
import { PUBLISH_SECRET, TOKEN_SECRET } from '../support/server'
import { SseReader } from '../support/sse-reader'

let server: Server
let base: string
let kit: KitRouter
const registry = createChannelRegistry()

beforeAll(async () => {
  const app = express()
  kit = createKitRouter({
    registry,
    publishSecret: PUBLISH_SECRET,
    tokenSecret: TOKEN_SECRET,
    demo: false,
    // The shop's own rule: a signed-in customer may watch their own orders only.
    authorizeSubscribe: (req, key) => key.startsWith(`order-${String(req.headers['x-customer'])}-`),
  })
  app.use('/kit', kit)
  app.get('/shop', (_req, res) => res.send('shop home'))
  server = createServer(app)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await kit.close()
  await registry.close()
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

describe('the kit router mounted under a prefix', () => {
  it('serves the events API under /kit and leaves the host app its own routes', async () => {
    const reader = await SseReader.open(`${base}/kit/api/events/order-42-1`, { 'x-customer': '42' })
    expect(reader.status).toBe(200)
    await expect.poll(() => registry.stats().connections).toBe(1)
    const res = await fetch(`${base}/kit/api/events/order-42-1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PUBLISH_SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'status', data: 'shipped' }),
    })
    expect(await res.json()).toEqual({ id: 1, delivered: 1 })
    expect((await reader.waitForEvents(1))[0]).toEqual({ id: '1', event: 'status', data: '"shipped"' })
    expect(await (await fetch(`${base}/shop`)).text()).toBe('shop home')
    expect((await fetch(`${base}/kit/healthz`)).status).toBe(200)
    reader.close()
  })

  it("lets the host app's own check decide who subscribes (403 otherwise)", async () => {
    const res = await fetch(`${base}/kit/api/events/order-42-2`, { headers: { 'x-customer': '7' } })
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({ error: { code: 'forbidden', message: 'not allowed to subscribe' } })
  })

  it('sends directly through the registry, as a payment webhook would', async () => {
    const reader = await SseReader.open(`${base}/kit/api/events/order-42-3`, { 'x-customer': '42' })
    await expect.poll(() => registry.stats().connections).toBe(1)
    await registry.send('order-42-3', 'status', { state: 'paid' })
    await registry.complete('order-42-3')
    await reader.waitForEnd()
    expect(reader.events.map((e) => e.event)).toEqual(['status', 'done'])
    expect(kit.mintSubscribeToken('order-42-3', 60).token).toMatch(/^v1\./)
  })
})
