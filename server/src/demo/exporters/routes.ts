// GET /demo/vllm/metrics and GET /demo/dcgm/metrics (RLHF_DEMO=1 only): the demo's serving and GPU fleet as
// vLLM and dcgm-exporter would expose them, for Prometheus to scrape. Same bearer key as /metrics (the app's
// auth hook covers every route but the health check).
import type { FastifyInstance } from 'fastify';
import { DAY } from '../timeline';
import { dcgmExposition } from './dcgm';
import { EXPOSITION_CONTENT_TYPE } from './exposition';
import { VllmExporter } from './vllm';

export const VLLM_DEMO_PATH = '/demo/vllm/metrics';
export const DCGM_DEMO_PATH = '/demo/dcgm/metrics';

export interface DemoExporterOptions {
  /** Day 0 of the demo story (the simulator's start); until the demo knows it, seven days before now. */
  storyStart: () => number | undefined;
  clock?: () => number;
}

export function demoExporterRoutes(app: FastifyInstance, o: DemoExporterOptions): void {
  const clock = o.clock ?? Date.now;
  const fallback = clock() - 7 * DAY;
  const start = () => o.storyStart() ?? fallback;
  const vllm = new VllmExporter(start, clock());
  app.get(VLLM_DEMO_PATH, async (_req, reply) => reply.type(EXPOSITION_CONTENT_TYPE).send(vllm.scrape(clock())));
  app.get(DCGM_DEMO_PATH, async (_req, reply) => {
    const now = clock();
    return reply.type(EXPOSITION_CONTENT_TYPE).send(dcgmExposition(now, now - start()));
  });
}
