import type OpenAI from 'openai'
import { resilientCall, type Resilience } from '../resilience'
import type { CostReporter, OrganizationCosts } from '../types'
import { mapOpenAIError } from './errors'

interface CostsPage {
  data: { start_time: number; results: { amount?: { value?: number } }[] }[]
  has_more: boolean
  next_page: string | null
}

const DAY_SECONDS = 86_400
/** Pages of 31 daily buckets: 100 days fit in four. */
const PAGE_SIZE = 31
const MAX_PAGES = 10

const epochOf = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000
const dayOf = (epoch: number) => new Date(epoch * 1000).toISOString().slice(0, 10)
/** Sums of cents lose precision in binary; round to a millionth of a dollar. */
const round = (usd: number) => Math.round(usd * 1e6) / 1e6

/** Daily costs from `GET /v1/organization/costs`, every page of the range. */
export function createOpenAICosts(admin: OpenAI, settings: Resilience): CostReporter {
  const page = (query: Record<string, string | number>, signal: AbortSignal) =>
    resilientCall(settings, signal, async (_attempt, inner) => {
      try {
        return await admin.get<CostsPage>('/organization/costs', { query, signal: inner })
      } catch (err) {
        throw mapOpenAIError(settings.provider, err)
      }
    })

  return {
    async report(from, to, signal): Promise<OrganizationCosts> {
      const days = new Map<string, number>()
      const query = {
        start_time: epochOf(from),
        end_time: epochOf(to) + DAY_SECONDS,
        bucket_width: '1d',
        limit: PAGE_SIZE,
      }
      let next: string | null = null
      for (let pages = 0; pages < MAX_PAGES; pages++) {
        const answer: CostsPage = await page(next ? { ...query, page: next } : query, signal)
        for (const bucket of answer.data) {
          const cost = bucket.results.reduce((sum, r) => sum + (r.amount?.value ?? 0), 0)
          const day = dayOf(bucket.start_time)
          days.set(day, (days.get(day) ?? 0) + cost)
        }
        next = answer.has_more ? answer.next_page : null
        if (!next) break
      }
      const rows = [...days].map(([day, cost]) => ({ day, costUsd: round(cost) }))
      return {
        provider: settings.provider,
        totalUsd: round(rows.reduce((sum, r) => sum + r.costUsd, 0)),
        days: rows,
      }
    },
  }
}
