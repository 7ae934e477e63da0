import type pg from 'pg'
import type { BonusKey, QuotaAsk, QuotaCounter, QuotaKey } from '../types'

// Takes one answer when the counter is under the limit ($4; NULL = unlimited), creating it at 1; no row
// comes back when it is full. The row lock it takes is held to the end of the transaction.
const TAKE = `
  INSERT INTO quota_counts AS q (day, grp, user_id, count)
  SELECT $1, $2, $3, 1 WHERE $4::int IS NULL OR $4::int > 0
  ON CONFLICT (day, grp, user_id) DO UPDATE SET count = q.count + 1
  WHERE $4::int IS NULL OR q.count < $4::int
  RETURNING count`
const GIVE_BACK = `UPDATE quota_counts SET count = GREATEST(0, count - 1) WHERE day = $1 AND grp = $2 AND user_id = $3`
const SPEND_BONUS = `UPDATE quota_bonus SET balance = balance - 1 WHERE user_id = $1 AND model = $2 AND balance > 0`
const GRANT = `
  INSERT INTO quota_bonus AS b (user_id, model, balance) VALUES ($1, $2, GREATEST(0, $3::int))
  ON CONFLICT (user_id, model) DO UPDATE SET balance = GREATEST(0, b.balance + $3::int)
  RETURNING balance`

const params = ({ day, group, userId }: QuotaKey) => [day, group, userId]

/**
 * Quota counts and bonus balances in PostgreSQL. A reservation is one transaction of conditional upserts:
 * the user's counter first, then the shared one (always in that order, so two reservations cannot wait on
 * each other), rolled back when the second is full; the bonus is one conditional update.
 */
export function createPostgresQuotas(pool: pg.Pool): QuotaCounter {
  let newestDay = ''

  async function takeDaily(ask: QuotaAsk): Promise<boolean> {
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      const own = await client.query(TAKE, [...params(ask.key), ask.limit ?? null])
      const shared = ask.shared
        ? await client.query(TAKE, [...params(ask.shared.key), ask.shared.limit])
        : { rowCount: 1 }
      const taken = own.rowCount === 1 && shared.rowCount === 1
      await client.query(taken ? 'COMMIT' : 'ROLLBACK')
      return taken
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined)
      throw err
    } finally {
      client.release()
    }
  }

  const grant = async ({ userId, model }: BonusKey, amount: number) => {
    const { rows } = await pool.query<{ balance: number }>(GRANT, [userId, model, amount])
    return rows[0]?.balance ?? 0
  }

  return {
    async get(key) {
      const { rows } = await pool.query<{ count: number }>(
        'SELECT count FROM quota_counts WHERE day = $1 AND grp = $2 AND user_id = $3',
        params(key),
      )
      return rows[0]?.count ?? 0
    },
    async reserve(ask) {
      if (ask.key.day > newestDay) {
        newestDay = ask.key.day
        // Counters of days before yesterday are never read again.
        const yesterday = new Date(Date.parse(`${ask.key.day}T00:00:00Z`) - 86_400_000)
          .toISOString()
          .slice(0, 10)
        await pool.query('DELETE FROM quota_counts WHERE day < $1', [yesterday])
      }
      if (await takeDaily(ask)) return 'daily'
      const spent = await pool.query(SPEND_BONUS, [ask.bonus.userId, ask.bonus.model])
      return spent.rowCount === 1 ? 'bonus' : undefined
    },
    async refund(ask, source) {
      if (source === 'bonus') await grant(ask.bonus, 1)
      else
        for (const key of [ask.key, ...(ask.shared ? [ask.shared.key] : [])])
          await pool.query(GIVE_BACK, params(key))
    },
    async bonus({ userId, model }) {
      const { rows } = await pool.query<{ balance: number }>(
        'SELECT balance FROM quota_bonus WHERE user_id = $1 AND model = $2',
        [userId, model],
      )
      return rows[0]?.balance ?? 0
    },
    grantBonus: grant,
  }
}
