import { Argument, Command, InvalidArgumentError, Option, type CommanderError } from 'commander';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { importers } from './imports.ts';
import type { Runtime } from './runtime.ts';

/** Exit codes: 0 done, 1 failed while working, 2 the command line itself was wrong. */
const USAGE_ERROR = 2;

function config(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(USAGE_ERROR);
    }
    throw error;
  }
}

/** Runs a command body with an open runtime, closing it (and the embedded server) afterwards. */
async function withRuntime<T>(options: { migrate?: boolean }, body: (runtime: Runtime) => Promise<T>): Promise<T> {
  const cfg = config();
  const { openRuntime } = await import('./runtime.ts');
  const runtime = await openRuntime(cfg, { migrate: options.migrate ?? true, applicationName: 'chorus-cli' });
  try {
    return await body(runtime);
  } finally {
    await runtime.close();
  }
}

function onShutdownSignal(handler: () => Promise<void>) {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      console.error(`\nReceived ${signal} again: exiting at once.`);
      process.exit(130);
    }
    stopping = true;
    console.error(`\nStopping (${signal})...`);
    handler().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

export function buildProgram(): Command {
  const program = new Command('chorus')
    .description('Chorus: the self-hosted campaign hub for a coalition of NHS campaign groups.')
    .showSuggestionAfterError(true);

  program
    .command('serve')
    .description('Run the web server (and, unless SERVE_WITH_WORKER=false, the background worker).')
    .option('--demo', 'load the demo coalition on first start')
    .action(async (options: { demo?: boolean }) => {
      const cfg = config();
      const { serve } = await import('./serve.ts');
      const running = await serve(cfg, { demo: options.demo ?? false });
      onShutdownSignal(running.stop);
    });

  program
    .command('worker')
    .description('Run background jobs (email, counting, imports, retention) until stopped.')
    .action(async () => {
      const cfg = config();
      const { work } = await import('./serve.ts');
      const running = await work(cfg);
      onShutdownSignal(running.stop);
    });

  program
    .command('migrate')
    .description('Apply database migrations and exit.')
    .action(async () => {
      await withRuntime({ migrate: true }, async () => {
        console.log('Database is up to date.');
      });
    });

  const kinds = Object.keys(importers);
  const kindList = kinds.length ? kinds.map((k) => `${k} (${importers[k]!.description})`).join('; ') : 'none installed';
  program
    .command('import')
    .description(`Import a data file. Kinds: ${kindList}.`)
    .addArgument(
      new Argument('<kind>', `what the file holds: ${kinds.join(', ') || 'no importers are installed'}`).argParser((kind: string) => {
        if (!Object.hasOwn(importers, kind)) {
          throw new InvalidArgumentError(kinds.length ? `Kinds: ${kinds.join(', ')}.` : 'No importers are installed.');
        }
        return kind;
      }),
    )
    .argument('<file>', 'path to the file')
    .option('--purpose <purpose>', 'people: whose updates they agreed to hear about: coalition or a group slug')
    .option('--wording <text>', 'people: the exact words they agreed to')
    .option('--agreed-on <date>', "people: the day they agreed (YYYY-MM-DD); default each row's date joined")
    .option('--tag <name...>', 'people: tag everyone imported')
    .option('--list <name>', 'people: add everyone imported to this list (made if missing)')
    .option('--dry-run', 'people: check the file and report what would happen, writing nothing')
    .action(async (kind: string, file: string, options: Record<string, unknown>) => {
      const importer = importers[kind]!;
      const summary = await withRuntime({ migrate: true }, (runtime) => importer.run(runtime, file, options));
      if (summary.failed) process.exitCode = 1;
    });

  const user = program.command('user').description('Manage organiser accounts.');
  user
    .command('add')
    .description('Add an organiser account and print a one-time sign-in link for it.')
    .argument('<email>', 'their email address')
    .requiredOption('--name <name>', 'their name')
    .addOption(new Option('--role <role>', 'what they may do').choices(['admin', 'organiser', 'moderator']).default('organiser'))
    .option('--group <slug...>', 'group(s) a group organiser acts for')
    .action(async (email: string, options: { name: string; role: 'admin' | 'organiser' | 'moderator'; group?: string[] }) => {
      const { addUser } = await import('./coalition/cli.ts');
      await withRuntime({ migrate: true }, (runtime) => addUser(runtime, { email, ...options }));
    });
  user
    .command('reset')
    .description('Print a new one-time sign-in link for an organiser (for a lost password).')
    .argument('<email>', 'their email address')
    .action(async (email: string) => {
      const { resetUser } = await import('./coalition/cli.ts');
      await withRuntime({ migrate: true }, (runtime) => resetUser(runtime, email));
    });

  const storiesCommand = program.command('stories').description('Stories: their encryption key.');
  storiesCommand
    .command('rotate-key')
    .description('Re-encrypt every story value with a new key (resumable, safe to run again); see the README’s Stories section.')
    .action(async () => {
      const { rotateStoriesKey } = await import('./stories/rotate-key.ts');
      await withRuntime({ migrate: true }, (runtime) => rotateStoriesKey(runtime as never).then(() => undefined));
    });

  // A wrong command line: one line saying why, the usage, exit code 2.
  const configure = (command: Command) => {
    command.exitOverride((error: CommanderError) => {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') process.exit(0);
      if (error.code === 'commander.help') process.exit(error.exitCode === 0 ? 0 : USAGE_ERROR);
      if (error.code === 'commander.executeSubCommandAsync') throw error;
      process.stderr.write(`Usage: ${commandPath(command)} ${command.usage()}\n`);
      process.exit(USAGE_ERROR);
    });
    command.configureOutput({ outputError: (message, write) => write(message.split('\n')[0] + '\n') });
    // A command that only groups others (chorus, chorus user), given none: say so above its help.
    if (command.commands.length > 0) {
      const names = command.commands.map((c) => c.name());
      command.addHelpText('before', ({ error }) => (error ? `error: missing command: ${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : ''));
    }
    command.commands.forEach(configure);
  };
  configure(program);
  return program;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(USAGE_ERROR);
  }
  console.error(error instanceof Error ? `chorus: ${error.message}` : error);
  process.exit(1);
}
