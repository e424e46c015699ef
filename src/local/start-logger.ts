import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { colorEnabled } from '../cli/colors';

type Output = NodeJS.WritableStream & { isTTY?: boolean };

/**
 * npm start's logger: readable lines through pino-pretty on a terminal (request logs as
 * `GET /ot-gen?count=2 → 200 in 739 ms`; colours unless NO_COLOR), JSON lines everywhere else (a
 * pipe, a file, a log collector). LOG_LEVEL sets the level (default info).
 */
export function createStartLogger(env: NodeJS.ProcessEnv, output: Output = process.stdout): Logger {
  const level = env.LOG_LEVEL || 'info';
  if (!output.isTTY) return output === process.stdout ? pino({ level }) : pino({ level }, output);
  const stream = pretty({
    destination: output,
    sync: true,
    colorize: colorEnabled(output, env),
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,req,res,responseTime',
    messageFormat: (log, messageKey) => {
      const message = String(log[messageKey] ?? '');
      const req = log.req as { method?: string; url?: string } | undefined;
      if (!req?.method) return message;
      const res = log.res as { statusCode?: number } | undefined;
      const took = typeof log.responseTime === 'number' ? ` in ${log.responseTime} ms` : '';
      const outcome = res?.statusCode !== undefined ? ` → ${res.statusCode}${took}` : '';
      return `${req.method} ${req.url}${outcome}${message && message !== 'request completed' ? `  ${message}` : ''}`;
    },
  });
  return pino({ level }, stream);
}
