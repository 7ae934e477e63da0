import { pino, type Logger, type LoggerOptions } from 'pino'

export type { Logger } from 'pino'

export interface LoggerConfig {
  readonly level: LoggerOptions['level']
}

/**
 * Structured JSON logs. Lines name the channel key; tokens and secrets never appear: nothing logs a URL's
 * query or an Authorization header, and these paths are censored should one slip into a log object.
 */
export function createLogger(config: LoggerConfig, destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    level: config.level,
    base: { service: 'kit-server' },
    redact: {
      paths: [
        'token',
        '*.token',
        'authorization',
        '*.authorization',
        'headers.authorization',
        'publishSecret',
      ],
      censor: '[redacted]',
    },
  }
  return destination ? pino(options, destination) : pino(options)
}
