import type { Metric } from '../http/metrics'
import type { GenerationStats, Generations } from './generations'
import type { HistoryOutbox } from './outbox'

const FIGURES: readonly (readonly [string, Metric['type'], keyof GenerationStats, string])[] = [
  ['kit_chat_generating', 'gauge', 'active', 'Answers being generated on this instance.'],
  ['kit_chat_answers_total', 'counter', 'completed', 'Answers that ended with done.'],
  [
    'kit_chat_answers_stopped_total',
    'counter',
    'stopped',
    'Answers stopped, or abandoned past the grace period.',
  ],
  ['kit_chat_answers_failed_total', 'counter', 'failed', 'Answers that ended with error.'],
]

/** Chat figures for `GET /metrics`. */
export const chatMetrics = (generations: Generations, outbox: HistoryOutbox): Metric[] => [
  ...FIGURES.map(([name, type, field, help]): Metric => ({
    name,
    type,
    help,
    value: () => generations.stats()[field],
  })),
  {
    name: 'kit_history_journal_depth',
    type: 'gauge',
    help: 'History and usage writes journaled and not yet taken by their store.',
    value: () => outbox.depth(),
  },
]
