import type { Logger } from 'pino';
import { databaseOutageLog, isDatabaseUnavailable } from '../http/errors.ts';

export interface Ticker {
  /** For logs. */
  name: string;
  intervalMs: number;
  run(): Promise<void>;
}

/**
 * Runs work every few seconds in a worker process: for jobs too frequent for cron (counting
 * signatures within 5 seconds). Each run reads durable state and is safe to repeat or skip, so
 * nothing is lost when a process stops; runs never overlap within a process.
 */
export function startTickers(tickers: Ticker[], log: Logger): { stop(): Promise<void> } {
  let stopped = false;
  const running = new Set<Promise<void>>();
  const timers = tickers.map((ticker) => {
    let busy = false;
    return setInterval(() => {
      if (busy || stopped) return;
      busy = true;
      const p = ticker
        .run()
        .catch((error: unknown) => {
          // While the database is away every ticker fails every second: say so once a second.
          if (isDatabaseUnavailable(error)) databaseOutageLog.report(log, error, `ticker ${ticker.name}`);
          else log.error({ err: error, ticker: ticker.name }, 'ticker failed');
        })
        .finally(() => {
          busy = false;
          running.delete(p);
        });
      running.add(p);
    }, ticker.intervalMs);
  });
  return {
    async stop() {
      stopped = true;
      timers.forEach(clearInterval);
      await Promise.all([...running]);
    },
  };
}
