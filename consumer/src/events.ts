import { parseEventStream, type ServerSentEvent } from '@kit/sse-client'

export interface EventReader {
  /** Every event so far, in order; `data` decoded from JSON. */
  readonly events: { event: string; data: unknown }[]
  /** Resolves with all events once a `done` or `error` event arrived or the stream ended. */
  readonly ended: Promise<{ event: string; data: unknown }[]>
  /** Resolves once `count` events named `name` arrived. */
  waitFor(name: string, count?: number): Promise<void>
}

/** Opens `url` (a GET unless `init` says otherwise) and reads its event stream in the background. */
export async function readEvents(url: string, init?: RequestInit): Promise<EventReader> {
  const response = await fetch(url, init)
  if (response.status !== 200 || !response.body) {
    throw new Error(`${url} answered ${response.status}: ${await response.text()}`)
  }
  const events: { event: string; data: unknown }[] = []
  const waiters = new Set<() => void>()
  const wakeAll = () => waiters.forEach((wake) => wake())
  let finished = false
  const ended = (async () => {
    try {
      for await (const raw of parseEventStream(response.body!)) {
        events.push({ event: raw.event, data: decode(raw) })
        wakeAll()
        if (raw.event === 'done' || raw.event === 'error') break
      }
      return events
    } finally {
      finished = true
      wakeAll()
    }
  })()
  const waitFor = (name: string, count = 1) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (events.filter((e) => e.event === name).length >= count) resolve()
        else if (finished)
          reject(new Error(`the stream ended before ${count} "${name}" events: ${JSON.stringify(events)}`))
        else return
        waiters.delete(check)
      }
      waiters.add(check)
      check()
    })
  return { events, ended, waitFor }
}

function decode(event: ServerSentEvent): unknown {
  try {
    return JSON.parse(event.data)
  } catch {
    return event.data
  }
}
