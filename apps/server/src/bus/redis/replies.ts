import type { BusChannelState, BusEvent, PublishOutcome, ReadOutcome } from '../types'

// Turns the scripts' replies (see scripts.ts) into the bus's types. Redis answers Lua numbers as integers
// and Lua strings as strings.

type Reply = readonly unknown[]

const stateAt = (reply: Reply, at: number): BusChannelState => {
  const lastId = Number(reply[at])
  const deadline = reply[at + 3]
  return {
    lastId,
    firstId: lastId - Number(reply[at + 1]) + 1,
    ended: reply[at + 2] === 1,
    deadlineAt: deadline === '' || deadline === undefined ? null : Number(deadline),
  }
}

export const stateReply = (reply: Reply): BusChannelState | null =>
  reply.length === 0 ? null : stateAt(reply, 0)

export const publishReply = (reply: Reply): PublishOutcome =>
  reply[0] === 0
    ? { ok: false, reason: 'ended' }
    : { ok: true, id: Number(reply[1]), delivered: Number(reply[2]) }

export function readReply(reply: Reply): ReadOutcome {
  if (reply.length === 0) return { kind: 'missing' }
  const state = stateAt(reply, 1)
  if (reply[0] === 'gap') return { kind: 'gap', state }
  const events: BusEvent[] = []
  // Stream entry ids are `<event id>-0`: parseInt stops at the dash.
  for (let at = 5; at + 2 < reply.length; at += 3) {
    events.push({
      id: parseInt(String(reply[at]), 10),
      event: String(reply[at + 1]),
      data: String(reply[at + 2]),
    })
  }
  return { kind: 'events', events, state }
}
