import pino, { type Logger } from 'pino';

/** Structured JSON logs (pino). `LOG_LEVEL` sets the level; tests default to `warn` to keep output readable. */
export const logger: Logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
  base: { service: 'pingan-hub' },
  redact: { paths: ['req.headers.authorization', '*.authorization', '*.idNumber', 'idNumber'], censor: '[redacted]' },
});

export type { Logger };
