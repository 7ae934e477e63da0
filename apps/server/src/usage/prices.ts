import type { Usage } from '@kit/protocol'
import type { Price } from '../config/chat'
import { bestMatch } from '../providers/model-pattern'

/** USD per million tokens, from the providers' public price lists; `chat.prices` overrides or adds entries. */
export const BUILTIN_PRICES: Readonly<Record<string, Price>> = {
  'gpt-4o-mini*': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'gpt-4o*': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'gpt-4.1-nano*': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  'gpt-4.1-mini*': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  'gpt-4.1*': { inputPerMillion: 2, outputPerMillion: 8 },
  'gpt-3.5-turbo*': { inputPerMillion: 0.5, outputPerMillion: 1.5 },
  lite: { inputPerMillion: 0, outputPerMillion: 0 },
  'demo-*': { inputPerMillion: 0, outputPerMillion: 0 },
}

export type PriceTable = (model: string, usage: Pick<Usage, 'promptTokens' | 'completionTokens'>) => number

/** Estimated cost in USD; a model with no price costs 0. */
export function createPriceTable(overrides: Readonly<Record<string, Price>> = {}): PriceTable {
  const entries = Object.entries({ ...BUILTIN_PRICES, ...overrides })
  return (model, usage) => {
    const price = bestMatch(entries, model)
    if (!price) return 0
    return (
      (usage.promptTokens * price.inputPerMillion + usage.completionTokens * price.outputPerMillion) / 1e6
    )
  }
}
