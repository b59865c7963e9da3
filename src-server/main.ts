import { isDomainError } from '../src-shared/errors';
import { loadConfig, USAGE } from './config';
import { makeLogger, startServer } from './http/server';

/*
 * `npm run server`: settings from flags and the environment, then the
 * service. SIGINT/SIGTERM stop it gracefully (requests in flight finish, the
 * database is closed); a second signal exits at once.
 */

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    process.exit(2);
  }
  if (config === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const logger = makeLogger(config);
  let server;
  try {
    server = await startServer(config, logger);
  } catch (e) {
    logger.fatal({ err: e, code: isDomainError(e) ? e.code : undefined }, `cannot start: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
    return;
  }
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      logger.warn({ signal: sig }, 'second signal: exiting now');
      process.exit(130);
    }
    server.stop(sig).then(() => { process.exitCode = 0; }, (e: unknown) => {
      logger.error({ err: e }, 'shutdown failed');
      process.exitCode = 1;
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

void main();
