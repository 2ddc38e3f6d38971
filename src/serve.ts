import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { loadDemoOnce } from './demo.ts';
import { allCron, allJobs, allTickers } from './jobs.ts';
import { startWorker, surviveDatabaseOutages, type Worker } from './platform/jobs/jobs.ts';
import { openRuntime } from './runtime.ts';
import { demoAdminEmail } from './coalition/demo.ts';

export interface Running {
  url: string;
  stop(): Promise<void>;
}

/** `chorus serve`: the web server, with the worker inside unless SERVE_WITH_WORKER=false. */
export async function serve(config: Config, options: { demo: boolean }): Promise<Running> {
  const started = Date.now();
  const runtime = await openRuntime(config, { migrate: true, applicationName: 'chorus-serve' });
  surviveDatabaseOutages(runtime.log);
  let worker: Worker | undefined;
  try {
    const demo = options.demo ? await loadDemoOnce(runtime.db) : { loaded: false };
    const app = await buildApp(runtime);
    await app.listen({ port: config.PORT, host: config.HOST }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') throw error;
      throw new Error(`Port ${config.PORT} on ${config.HOST} is already in use (another Chorus?). Stop that, or set PORT to another port.`, { cause: error });
    });
    if (config.SERVE_WITH_WORKER) {
      worker = await startWorker(runtime, allJobs, allCron, { concurrency: config.WORKER_CONCURRENCY, tickers: allTickers(runtime) });
    }
    const lines = [
      '',
      `Chorus is running at ${config.BASE_URL} (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      runtime.embedded ? `Database: embedded PostgreSQL in ${config.CHORUS_DATA_DIR}` : 'Database: DATABASE_URL',
      config.SMTP_URL ? 'Mail: sent over SMTP_URL' : `Mail: no SMTP_URL, so messages are kept in the admin mail viewer (${config.BASE_URL}/admin/mail)`,
    ];
    if (demo.loaded && demo.signInToken) {
      lines.push(
        '',
        `Demo coalition loaded. Sign in as the coalition admin (${demo.adminEmail}) with this one-time link (valid 7 days):`,
        `  ${config.BASE_URL}/sign-in/link/${demo.signInToken}`,
        'You will be asked to choose a password.',
      );
    } else if (options.demo) {
      lines.push(
        '',
        `Sign in at ${config.BASE_URL}/sign-in as ${demoAdminEmail}.`,
        `Lost the password or the link? Run: npx chorus user reset ${demoAdminEmail}`,
      );
    }
    lines.push('', 'Press Ctrl-C to stop.', '');
    console.log(lines.join('\n'));
    return {
      url: config.BASE_URL,
      async stop() {
        await app.close();
        await worker?.stop();
        await runtime.close();
      },
    };
  } catch (error) {
    await worker?.stop();
    await runtime.close();
    throw error;
  }
}

/** `chorus worker`: background jobs only. */
export async function work(config: Config): Promise<Running> {
  const runtime = await openRuntime(config, { migrate: true, applicationName: 'chorus-worker' });
  surviveDatabaseOutages(runtime.log);
  const worker = await startWorker(runtime, allJobs, allCron, { concurrency: config.WORKER_CONCURRENCY, tickers: allTickers(runtime) });
  console.log(`Chorus worker running (${config.WORKER_CONCURRENCY} at a time). Press Ctrl-C to stop.`);
  return {
    url: config.BASE_URL,
    async stop() {
      await worker.stop();
      await runtime.close();
    },
  };
}
