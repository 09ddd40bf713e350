import { statusThresholdsFrom } from './analytics/status';

/** The service's environment (DESIGN.md "Service contract"). */
export interface ServiceConfig {
  host: string;
  port: number;
  db: string;
  apiKey?: string;
  demo: boolean;
  demoSeed: number;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  // Fail at start, not at the first status query, on a malformed RLHF_STATUS_* threshold.
  statusThresholdsFrom(env);
  const port = Number(env.RLHF_PORT ?? 8400);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`RLHF_PORT must be an integer 0-65535, got "${env.RLHF_PORT}"`);
  }
  return {
    host: env.RLHF_HOST ?? '127.0.0.1',
    port,
    db: env.RLHF_DB ?? 'data/rlhf.db',
    apiKey: env.RLHF_API_KEY || undefined,
    demo: (env.RLHF_DEMO ?? '1') !== '0',
    demoSeed: Number(env.RLHF_DEMO_SEED ?? 42),
  };
}
