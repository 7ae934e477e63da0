// An msw handler for an event stream the test writes by hand, for tests whose point is a DOM environment
// (document.hidden); everything else runs against a real node:http server.
import { http, HttpResponse } from 'msw'

export interface FeedConnection {
  method: string
  lastEventId: string | null
  send(text: string): void
}

export function eventFeed(url: string) {
  const connections: FeedConnection[] = []
  const waiting: Array<() => void> = []
  const encoder = new TextEncoder()
  const handler = http.all(url, ({ request }) => {
    let write = (_: string) => {}
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => void (write = (text) => controller.enqueue(encoder.encode(text))),
    })
    connections.push({
      method: request.method,
      lastEventId: request.headers.get('last-event-id'),
      send: (text) => write(text),
    })
    for (const wake of waiting.splice(0)) wake()
    return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } })
  })
  /** The n-th connection (0-based), once its request has arrived. */
  const connection = async (n: number): Promise<FeedConnection> => {
    while (!connections[n]) await new Promise<void>((resolve) => waiting.push(resolve))
    return connections[n]
  }
  return { handler, connections, connection }
}
