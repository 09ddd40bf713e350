// A simulated dcgm-exporter for the demo's GPUs: the PPO run's node-0 and node-1 and the DPO run's node-2
// (4 x H100 each, busy while their run trains, idle before and after, idle on the hung job's nodes during the
// NCCL stall) and the serving node serve-0 (2 x H100 running vLLM, busy with the traffic cycle and pegged
// during the v2 incident). One endpoint serves every host, told apart by `Hostname` as the per-node
// exporters' series are once Prometheus has scraped them all.
import { createHash } from 'node:crypto';
import { inIncident } from '../deployment';
import { dailyLoad, DAY, TIMELINE } from '../timeline';
import { Exposition, type Labels } from './exposition';
import { DCGM_METRICS, type ReferenceMetric } from './reference';

const MODEL = 'NVIDIA H100 80GB HBM3';
/** H100 80GB framebuffer as DCGM reports it (MiB). */
const FB_TOTAL_MIB = 81559;
const FB_RESERVED_MIB = 512;

export interface DemoHost {
  hostname: string;
  gpus: number;
  /** What runs there: a training run (by name) or the serving deployment. */
  role: { run: string; from: number; to: number } | { serving: true };
}

/** The story's hosts (days after the story's start), as training.ts and deployment.ts tell it. */
export const DEMO_HOSTS: DemoHost[] = [
  { hostname: 'node-0', gpus: 4, role: { run: 'ppo-llama3-8b', from: TIMELINE.ppoStart, to: 8.2 * DAY } },
  { hostname: 'node-1', gpus: 4, role: { run: 'ppo-llama3-8b', from: TIMELINE.ppoStart, to: 8.2 * DAY } },
  { hostname: 'node-2', gpus: 4, role: { run: 'dpo-llama3-8b', from: TIMELINE.dpoStart, to: 3.6 * DAY } },
  { hostname: 'serve-0', gpus: 2, role: { serving: true } },
];

const metric = (name: string): ReferenceMetric => {
  const m = DCGM_METRICS.find((x) => x.name === name);
  if (!m) {
    throw new Error(`${name} is not in the dcgm-exporter reference list`);
  }
  return m;
};

/** Stable per-GPU identity, as DCGM reports it (a UUID per board, a PCI address per slot). */
function identity(host: string, gpu: number): Labels {
  const h = createHash('sha256').update(`${host}/${gpu}`).digest('hex');
  return {
    gpu: String(gpu),
    UUID: `GPU-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`,
    pci_bus_id: `00000000:${(0x18 + 0x10 * gpu).toString(16).toUpperCase().padStart(2, '0')}:00.0`,
    device: `nvidia${gpu}`,
    modelName: MODEL,
    Hostname: host,
  };
}

export interface GpuState {
  labels: Labels;
  /** 0..100 */
  util: number;
  fbUsedMiB: number;
  tensorActive: number;
  xid: number;
}

/** Utilisation and memory of every GPU at wall time t (rel = ms since the story's start). */
export function gpuStates(t: number, rel: number): GpuState[] {
  const stalled = rel >= TIMELINE.ppoStallAt && rel < TIMELINE.ppoStallAt + TIMELINE.ppoStallFor;
  return DEMO_HOSTS.flatMap((host) =>
    Array.from({ length: host.gpus }, (_, g): GpuState => {
      const w = 1 + 0.03 * Math.sin(t / 23_000 + g + host.hostname.length);
      let util = 0;
      let fb = 0;
      let tensor = 0;
      let xid = 0;
      if ('serving' in host.role) {
        // vLLM pre-allocates 90% of the framebuffer (gpu_memory_utilization=0.9) whatever the load.
        const incident = inIncident(rel);
        util = incident ? 99 : Math.min(100, (30 + 45 * dailyLoad(t)) * w);
        fb = 0.9 * FB_TOTAL_MIB;
        tensor = (util / 100) * 0.35;
      } else if (rel >= host.role.from && rel < host.role.to) {
        const busy = host.role.run === 'dpo-llama3-8b' ? 95 : 84;
        const hung = stalled && host.role.run === 'ppo-llama3-8b';
        util = hung ? 0 : Math.min(100, busy * w);
        fb = (host.role.run === 'dpo-llama3-8b' ? 66 : 71) * 1024 * w;
        tensor = (util / 100) * 0.55;
        // The stall's cause: GPU 3 of node-1 fell off the bus (XID 79) until the node was replaced.
        xid = hung && host.hostname === 'node-1' && g === 3 ? 79 : 0;
      }
      return { labels: identity(host.hostname, g), util, fbUsedMiB: Math.round(fb), tensorActive: tensor, xid };
    })
  );
}

export function dcgmExposition(t: number, rel: number): string {
  const gpus = gpuStates(t, rel);
  const each = (f: (g: GpuState) => number) => gpus.map((g) => ({ labels: g.labels, value: f(g) }));
  const round = (v: number, d = 0) => Number(v.toFixed(d));
  return new Exposition()
    .scalar(
      metric('DCGM_FI_DEV_SM_CLOCK'),
      each((g) => (g.util > 1 ? 1980 : 345))
    )
    .scalar(
      metric('DCGM_FI_DEV_MEM_CLOCK'),
      each(() => 2619)
    )
    .scalar(
      metric('DCGM_FI_DEV_MEMORY_TEMP'),
      each((g) => round(32 + 0.4 * g.util))
    )
    .scalar(
      metric('DCGM_FI_DEV_GPU_TEMP'),
      each((g) => round(30 + 0.42 * g.util))
    )
    .scalar(
      metric('DCGM_FI_DEV_POWER_USAGE'),
      each((g) => round(70 + 6.1 * g.util, 3))
    )
    .scalar(
      metric('DCGM_FI_DEV_GPU_UTIL'),
      each((g) => round(g.util))
    )
    .scalar(
      metric('DCGM_FI_DEV_MEM_COPY_UTIL'),
      each((g) => round(0.6 * g.util))
    )
    .scalar(
      metric('DCGM_FI_DEV_ENC_UTIL'),
      each(() => 0)
    )
    .scalar(
      metric('DCGM_FI_DEV_DEC_UTIL'),
      each(() => 0)
    )
    .scalar(
      metric('DCGM_FI_DEV_XID_ERRORS'),
      each((g) => g.xid)
    )
    .scalar(
      metric('DCGM_FI_DEV_FB_FREE'),
      each((g) => FB_TOTAL_MIB - FB_RESERVED_MIB - g.fbUsedMiB)
    )
    .scalar(
      metric('DCGM_FI_DEV_FB_USED'),
      each((g) => g.fbUsedMiB)
    )
    .scalar(
      metric('DCGM_FI_DEV_FB_RESERVED'),
      each(() => FB_RESERVED_MIB)
    )
    .scalar(
      metric('DCGM_FI_PROF_GR_ENGINE_ACTIVE'),
      each((g) => round((0.97 * g.util) / 100, 4))
    )
    .scalar(
      metric('DCGM_FI_PROF_PIPE_TENSOR_ACTIVE'),
      each((g) => round(g.tensorActive, 4))
    )
    .scalar(
      metric('DCGM_FI_PROF_DRAM_ACTIVE'),
      each((g) => round((0.62 * g.util) / 100, 4))
    )
    .text();
}
