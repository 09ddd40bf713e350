// What the real exporters export, read from their sources (names, types, HELP text, label names). The demo's
// exporters serve these names, and dashboards/alert rules may use only names from these lists
// (dashboards/metricNames.test.ts checks both).
//
// vLLM: vllm-project/vllm, vllm/v1/metrics/loggers.py `PrometheusStatLogger` at commit 005a810b (the V1 engine of
// the 0.10 line). Labels `model_name` (served model name) and `engine` (engine index); prometheus_client adds
// `_total` to counters and `_bucket`/`_sum`/`_count` to histograms in the exposition. The OpenAI API server
// adds prometheus-fastapi-instrumentator's default `http_requests_total{handler, method, status}` (status
// grouped as 2xx/4xx/5xx).
//
// dcgm-exporter: NVIDIA/dcgm-exporter, etc/default-counters.csv (commit 00d6d344) and etc/dcp-metrics-included.csv
// (commit 084a245d, the DCP profiling set). Every series carries `gpu`, `UUID`, `pci_bus_id`, `device`, `modelName`,
// `Hostname` (plus `DCGM_FI_DRIVER_VERSION` where that field is enabled as a label, and `pod`/`namespace`/
// `container` on Kubernetes). Counters keep the DCGM field name (no `_total`).

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

export interface ReferenceMetric {
  /** The metric family name as it appears in `# TYPE` (counters: with `_total` for prometheus_client). */
  name: string;
  type: MetricType;
  help: string;
  /** Label names besides the ones every series of the exporter has. */
  labels?: string[];
}

export const VLLM_SOURCE = 'vllm-project/vllm vllm/v1/metrics/loggers.py @ 005a810b (v0.10 line, V1 engine)';
export const DCGM_SOURCE =
  'NVIDIA/dcgm-exporter etc/default-counters.csv @ 00d6d344 + etc/dcp-metrics-included.csv @ 084a245d';

/** Labels of every vLLM engine series. */
export const VLLM_LABELS = ['model_name', 'engine'];

/** Request-latency histograms share these boundaries (seconds). */
export const VLLM_REQUEST_LATENCY_BUCKETS = [
  0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0,
  7680.0,
];
export const VLLM_TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0,
  640.0, 2560.0,
];
export const VLLM_TPOT_BUCKETS = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0,
];
/** vLLM's `build_1_2_5_buckets(max_model_len)`: 1, 2, 5, 10, 20, 50, ... up to max_model_len. */
export function buckets125(max: number): number[] {
  const out: number[] = [];
  for (let e = 1; ; e *= 10) {
    for (const m of [1, 2, 5]) {
      if (m * e > max) {
        return out;
      }
      out.push(m * e);
    }
  }
}

export const VLLM_METRICS: ReferenceMetric[] = [
  { name: 'vllm:num_requests_running', type: 'gauge', help: 'Number of requests in model execution batches.' },
  { name: 'vllm:num_requests_waiting', type: 'gauge', help: 'Number of requests waiting to be processed.' },
  {
    name: 'vllm:gpu_cache_usage_perc',
    type: 'gauge',
    help: 'GPU KV-cache usage. 1 means 100 percent usage.DEPRECATED: Use vllm:kv_cache_usage_perc instead.',
  },
  { name: 'vllm:kv_cache_usage_perc', type: 'gauge', help: 'KV-cache usage. 1 means 100 percent usage.' },
  {
    name: 'vllm:gpu_prefix_cache_queries_total',
    type: 'counter',
    help: 'GPU prefix cache queries, in terms of number of queriedtokens. DEPRECATED: Use vllm:prefix_cache_queries instead.',
  },
  {
    name: 'vllm:gpu_prefix_cache_hits_total',
    type: 'counter',
    help: 'GPU prefix cache hits, in terms of number of cached tokens. DEPRECATED: Use vllm:prefix_cache_hits instead.',
  },
  {
    name: 'vllm:prefix_cache_queries_total',
    type: 'counter',
    help: 'Prefix cache queries, in terms of number of queried tokens.',
  },
  {
    name: 'vllm:prefix_cache_hits_total',
    type: 'counter',
    help: 'Prefix cache hits, in terms of number of cached tokens.',
  },
  { name: 'vllm:num_preemptions_total', type: 'counter', help: 'Cumulative number of preemption from the engine.' },
  { name: 'vllm:prompt_tokens_total', type: 'counter', help: 'Number of prefill tokens processed.' },
  { name: 'vllm:generation_tokens_total', type: 'counter', help: 'Number of generation tokens processed.' },
  {
    name: 'vllm:request_success_total',
    type: 'counter',
    help: 'Count of successfully processed requests.',
    labels: ['finished_reason'],
  },
  { name: 'vllm:request_prompt_tokens', type: 'histogram', help: 'Number of prefill tokens processed.' },
  { name: 'vllm:request_generation_tokens', type: 'histogram', help: 'Number of generation tokens processed.' },
  { name: 'vllm:iteration_tokens_total', type: 'histogram', help: 'Histogram of number of tokens per engine_step.' },
  {
    name: 'vllm:request_max_num_generation_tokens',
    type: 'histogram',
    help: 'Histogram of maximum number of requested generation tokens.',
  },
  { name: 'vllm:request_params_n', type: 'histogram', help: 'Histogram of the n request parameter.' },
  { name: 'vllm:request_params_max_tokens', type: 'histogram', help: 'Histogram of the max_tokens request parameter.' },
  { name: 'vllm:time_to_first_token_seconds', type: 'histogram', help: 'Histogram of time to first token in seconds.' },
  {
    name: 'vllm:time_per_output_token_seconds',
    type: 'histogram',
    help: 'Histogram of time per output token in seconds.',
  },
  {
    name: 'vllm:time_per_prefill_token_request_seconds',
    type: 'histogram',
    help: 'Time spent per token during prefill  phase in seconds',
  },
  { name: 'vllm:e2e_request_latency_seconds', type: 'histogram', help: 'Histogram of e2e request latency in seconds.' },
  {
    name: 'vllm:request_queue_time_seconds',
    type: 'histogram',
    help: 'Histogram of time spent in WAITING phase for request.',
  },
  {
    name: 'vllm:request_inference_time_seconds',
    type: 'histogram',
    help: 'Histogram of time spent in RUNNING phase for request.',
  },
  {
    name: 'vllm:request_prefill_time_seconds',
    type: 'histogram',
    help: 'Histogram of time spent in PREFILL phase for request.',
  },
  {
    name: 'vllm:request_decode_time_seconds',
    type: 'histogram',
    help: 'Histogram of time spent in DECODE phase for request.',
  },
  { name: 'vllm:cache_config_info', type: 'gauge', help: 'Information of the LLMEngine CacheConfig' },
];

/** The API server's HTTP metrics (prometheus-fastapi-instrumentator defaults, no vLLM labels). */
export const VLLM_HTTP_METRICS: ReferenceMetric[] = [
  {
    name: 'http_requests_total',
    type: 'counter',
    help: 'Total number of requests by method, status and handler.',
    labels: ['handler', 'method', 'status'],
  },
];

/** Labels of every dcgm-exporter series (outside Kubernetes). */
export const DCGM_LABELS = ['gpu', 'UUID', 'pci_bus_id', 'device', 'modelName', 'Hostname'];

export const DCGM_METRICS: ReferenceMetric[] = [
  // etc/default-counters.csv
  { name: 'DCGM_FI_DEV_SM_CLOCK', type: 'gauge', help: 'SM clock frequency (in MHz).' },
  { name: 'DCGM_FI_DEV_MEM_CLOCK', type: 'gauge', help: 'Memory clock frequency (in MHz).' },
  { name: 'DCGM_FI_DEV_MEMORY_TEMP', type: 'gauge', help: 'Memory temperature (in C).' },
  { name: 'DCGM_FI_DEV_GPU_TEMP', type: 'gauge', help: 'GPU temperature (in C).' },
  { name: 'DCGM_FI_DEV_POWER_USAGE', type: 'gauge', help: 'Power draw (in W).' },
  {
    name: 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION',
    type: 'counter',
    help: 'Total energy consumption since boot (in mJ).',
  },
  {
    name: 'DCGM_FI_DEV_PCIE_TX_THROUGHPUT',
    type: 'counter',
    help: 'Total number of bytes transmitted through PCIe TX (in KB) via NVML.',
  },
  {
    name: 'DCGM_FI_DEV_PCIE_RX_THROUGHPUT',
    type: 'counter',
    help: 'Total number of bytes received through PCIe RX (in KB) via NVML.',
  },
  { name: 'DCGM_FI_DEV_PCIE_REPLAY_COUNTER', type: 'counter', help: 'Total number of PCIe retries.' },
  { name: 'DCGM_FI_DEV_GPU_UTIL', type: 'gauge', help: 'GPU utilization (in %).' },
  { name: 'DCGM_FI_DEV_MEM_COPY_UTIL', type: 'gauge', help: 'Memory utilization (in %).' },
  { name: 'DCGM_FI_DEV_ENC_UTIL', type: 'gauge', help: 'Encoder utilization (in %).' },
  { name: 'DCGM_FI_DEV_DEC_UTIL', type: 'gauge', help: 'Decoder utilization (in %).' },
  { name: 'DCGM_FI_DEV_XID_ERRORS', type: 'gauge', help: 'Value of the last XID error encountered.' },
  { name: 'DCGM_FI_DEV_FB_FREE', type: 'gauge', help: 'Framebuffer memory free (in MiB).' },
  { name: 'DCGM_FI_DEV_FB_USED', type: 'gauge', help: 'Framebuffer memory used (in MiB).' },
  {
    name: 'DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL',
    type: 'counter',
    help: 'Total number of NVLink bandwidth counters for all lanes',
  },
  { name: 'DCGM_FI_DEV_VGPU_LICENSE_STATUS', type: 'gauge', help: 'vGPU License status' },
  {
    name: 'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS',
    type: 'counter',
    help: 'Number of remapped rows for uncorrectable errors',
  },
  {
    name: 'DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS',
    type: 'counter',
    help: 'Number of remapped rows for correctable errors',
  },
  { name: 'DCGM_FI_DEV_ROW_REMAP_FAILURE', type: 'gauge', help: 'Whether remapping of rows has failed' },
  // etc/dcp-metrics-included.csv (the profiling set, on data-centre GPUs)
  { name: 'DCGM_FI_DEV_FB_RESERVED', type: 'gauge', help: 'Framebuffer memory reserved (in MiB).' },
  { name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', type: 'gauge', help: 'Ratio of time the graphics engine is active.' },
  {
    name: 'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE',
    type: 'gauge',
    help: 'Ratio of cycles the tensor (HMMA) pipe is active.',
  },
  {
    name: 'DCGM_FI_PROF_DRAM_ACTIVE',
    type: 'gauge',
    help: 'Ratio of cycles the device memory interface is active sending or receiving data.',
  },
  {
    name: 'DCGM_FI_PROF_PCIE_TX_BYTES',
    type: 'gauge',
    help: 'The rate of data transmitted over the PCIe bus - including both protocol headers and data payloads - in bytes per second.',
  },
  {
    name: 'DCGM_FI_PROF_PCIE_RX_BYTES',
    type: 'gauge',
    help: 'The rate of data received over the PCIe bus - including both protocol headers and data payloads - in bytes per second.',
  },
];

/**
 * The sample names a family exposes: a counter or gauge its own name, a histogram `_bucket`, `_sum`, `_count`
 * (what PromQL selects).
 */
export function sampleNames(m: ReferenceMetric): string[] {
  return m.type === 'histogram' || m.type === 'summary'
    ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`].slice(m.type === 'summary' ? 1 : 0)
    : [m.name];
}
