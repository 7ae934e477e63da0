import { describe, expect, it } from 'vitest'
import { DeadlineQueue, type Deadline } from '../../src/channels/deadlines'
import { waitFor } from '../support/wait'

const item = (name: string): Deadline & { name: string } => ({ name, deadlineAt: 0, heapIndex: -1 })

describe('deadline queue', () => {
  it('fires items in deadline order on one timer, and never a removed one', async () => {
    const fired: string[] = []
    const queue = new DeadlineQueue<ReturnType<typeof item>>((i) => fired.push(i.name))
    const now = Date.now()
    const items = Array.from({ length: 200 }, (_, n) => item(`i${n}`))
    // Deadlines in a shuffled order, a few milliseconds apart.
    items.forEach((it, n) => queue.add(it, now + 20 + ((n * 37) % 200)))
    const removed = items.filter((_, n) => n % 3 === 0)
    for (const it of removed) queue.remove(it)
    expect(queue.size).toBe(200 - removed.length)
    const timersWhileQueued = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
    await waitFor('every deadline', () => fired.length === 200 - removed.length, 2000)
    const expected = items
      .filter((_, n) => n % 3 !== 0)
      .sort((a, b) => a.deadlineAt - b.deadlineAt)
      .map((i) => i.name)
    expect(fired).toEqual(expected)
    expect(queue.size).toBe(0)
    expect(items.every((i) => i.heapIndex === -1)).toBe(true)
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(timersWhileQueued - 1)
  })

  it('waits in steps for deadlines beyond what setTimeout can wait, and closes cleanly', () => {
    const queue = new DeadlineQueue<Deadline>(() => undefined)
    const far = { deadlineAt: 0, heapIndex: -1 }
    queue.add(far, Date.now() + 40 * 24 * 3600 * 1000)
    queue.add(far, Date.now())
    expect(queue.size).toBe(1)
    queue.close()
    expect(far.heapIndex).toBe(-1)
    expect(queue.size).toBe(0)
  })
})
