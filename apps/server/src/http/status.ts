import { ErrorCode } from '@kit/protocol'

/**
 * The HTTP status of every error code, in one place: each route answers a code with the same status. A
 * new code of @kit/protocol fails the type check until it has its line here.
 */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  [ErrorCode.BadRequest]: 400,
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.InvalidKey]: 400,
  [ErrorCode.InvalidEventName]: 400,
  [ErrorCode.JsonTooDeep]: 400,
  [ErrorCode.UnknownProvider]: 400,
  [ErrorCode.UnknownModel]: 400,
  [ErrorCode.UnknownTemplate]: 400,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.UserRefused]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.ChannelClosed]: 409,
  [ErrorCode.ResumeUnavailable]: 409,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.ContentBlocked]: 422,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.TooManyRequests]: 429,
  [ErrorCode.TooManyAnswers]: 429,
  [ErrorCode.QuotaExceeded]: 429,
  [ErrorCode.Internal]: 500,
  [ErrorCode.ProviderAuth]: 502,
  [ErrorCode.ProviderQuota]: 502,
  [ErrorCode.ProviderError]: 502,
  [ErrorCode.GeneratorLost]: 502,
  [ErrorCode.ProviderUnavailable]: 503,
  [ErrorCode.BusUnavailable]: 503,
  [ErrorCode.AuthorizerUnavailable]: 503,
}
