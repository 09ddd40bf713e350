import { configFromEnv } from './config';
import { nextSteps } from './http/home';
import { collectWhenIdle } from './memory';
import { startService } from './service';

// `npm start`: serve on RLHF_HOST:RLHF_PORT with the embedded store and (by default) the live demo.
async function main() {
  const config = configFromEnv();
  const service = await startService({ ...config, logger: true });
  collectWhenIdle();
  console.log(
    `RLHF monitor on ${service.url} (store ${config.db}, demo ${config.demo ? 'on' : 'off'}, auth ${config.apiKey ? 'on' : 'off'})\n` +
      `Open ${service.url}/ in a browser, or next:\n${nextSteps(service.url, Boolean(config.apiKey))
        .map((s, i) => `  ${i + 1}. ${s}`)
        .join('\n')}`
  );
  const shutdown = (signal: string) => {
    console.log(`${signal}: finishing in-flight requests and closing the store`);
    service.close().then(
      () => process.exit(0),
      (e) => {
        console.error(e);
        process.exit(1);
      }
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
