import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createMemoryJournal } from '../../src/storage/journal/memory'
import { openSqliteJournal } from '../../src/storage/journal/sqlite'
import type { Journal } from '../../src/storage/journal/types'

const dir = mkdtempSync(join(tmpdir(), 'kit-journal-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const drain = (journal: Journal) => {
  const out: [string, string][] = []
  for (let next = journal.first(); next; next = journal.first()) {
    out.push([next.key, next.body])
    journal.remove(next.seq)
  }
  return out
}

function journalContract(name: string, open: () => Journal): void {
  describe(`${name} journal`, () => {
    it('keeps entries in order, one waiting per key, a newer one taking the older one’s place', () => {
      const journal = open()
      journal.put('a', 'a1', 0)
      journal.put('b', 'b1', 0)
      journal.put('a', 'a2', 0)
      expect(journal.size()).toBe(2)
      expect(drain(journal)).toEqual([
        ['a', 'a2'],
        ['b', 'b1'],
      ])
      expect(journal.size()).toBe(0)
      journal.close()
    })

    it('appends rather than rewrite the entry being stored', () => {
      const journal = open()
      const busy = journal.put('a', 'a1', 0)
      expect(journal.put('a', 'a2', busy)).not.toBe(busy)
      expect(journal.put('a', 'a3', busy)).not.toBe(busy)
      expect(journal.first()).toMatchObject({ seq: busy, body: 'a1' })
      journal.remove(busy)
      expect(drain(journal)).toEqual([['a', 'a3']])
      journal.close()
    })
  })
}

journalContract('memory', createMemoryJournal)
journalContract('SQLite', () => openSqliteJournal(join(dir, `${Math.random()}.db`)))

describe('SQLite journal file', () => {
  it('holds what it took when opened again', () => {
    const path = join(dir, 'reopened.db')
    const journal = openSqliteJournal(path)
    journal.put('x', 'one', 0)
    journal.put('y', 'two', 0)
    journal.close()
    const again = openSqliteJournal(path)
    expect(drain(again)).toEqual([
      ['x', 'one'],
      ['y', 'two'],
    ])
    again.close()
  })
})
