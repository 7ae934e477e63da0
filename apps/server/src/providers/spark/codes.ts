import { ErrorCode } from '@kit/protocol'
import { ProviderError } from '../errors'

interface CodeClass {
  readonly code: ErrorCode
  readonly retriable: boolean
  readonly retry?: boolean
  readonly discardPartial?: boolean
  readonly meaning: string
}

const blocked = (meaning: string): CodeClass => ({
  code: ErrorCode.ContentBlocked,
  retriable: false,
  meaning,
})
const auth = (meaning: string): CodeClass => ({ code: ErrorCode.ProviderAuth, retriable: false, meaning })
const busy = (meaning: string): CodeClass => ({
  code: ErrorCode.ProviderUnavailable,
  retriable: true,
  meaning,
})
const invalid = (meaning: string): CodeClass => ({ code: ErrorCode.ProviderError, retriable: false, meaning })

/** Too many requests per second: the one code retried, after a back-off or the instance's `perSecondLimit`. */
export const SPARK_PER_SECOND_LIMIT = 11202

/** Spark's error codes; 11202 alone is retried here. */
const SPARK_CODES: ReadonlyMap<number, CodeClass> = new Map([
  [10000, invalid('protocol error')],
  [10001, invalid('protocol error')],
  [10002, invalid('protocol error')],
  [10003, invalid('parameter error')],
  [10004, invalid('parameter error')],
  [10005, invalid('parameter error')],
  [10006, busy('this user is already connected')],
  [10007, busy('this user is busy')],
  [10008, busy('no capacity')],
  [10013, blocked('the prompt failed moderation')],
  [10014, { ...blocked('the answer failed moderation'), discardPartial: true }],
  [10015, auth('the app id is blacklisted')],
  [10016, auth('the app is not authorised')],
  [10019, blocked('the conversation tends toward violating content')],
  [10110, busy('the service is busy')],
  [10163, invalid('the request failed the schema check')],
  [10222, busy('network error inside the engine')],
  [10907, invalid('too many tokens')],
  [
    11200,
    { code: ErrorCode.ProviderQuota, retriable: false, meaning: 'no authorisation or the quota is used up' },
  ],
  [11201, { code: ErrorCode.ProviderQuota, retriable: false, meaning: 'the daily limit is reached' }],
  [
    SPARK_PER_SECOND_LIMIT,
    { code: ErrorCode.RateLimited, retriable: true, retry: true, meaning: 'too many requests per second' },
  ],
  [11203, { code: ErrorCode.RateLimited, retriable: true, meaning: 'too many concurrent requests' }],
  [11500, auth('authentication failed')],
  [11501, invalid('empty request')],
])

/** The error for a frame whose `header.code` is not 0. */
export function sparkError(
  provider: string,
  code: number,
  message: string,
  sid: string | undefined,
): ProviderError {
  const known = SPARK_CODES.get(code) ?? { code: ErrorCode.ProviderError, retriable: false, meaning: 'error' }
  return new ProviderError({
    code: known.code,
    message: `${provider}: ${known.meaning} (Spark ${code}${message ? `: ${message}` : ''})`,
    retriable: known.retriable,
    retry: known.retry ?? false,
    discardPartial: known.discardPartial ?? false,
    provider,
    providerCode: code,
    ...(sid ? { sid } : {}),
  })
}
