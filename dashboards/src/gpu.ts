// GPU panels on dcgm-exporter's metrics (default counters + the DCP profiling set), per `Hostname` and `gpu`,
// shared by Training (the run's hosts) and Deployment (the serving hosts).
import { MappingType } from '@grafana/schema';
import { prom, promInstant, steps, type PanelSpec } from './builders';
import { ERROR, SUCCESS, TEAL, WARNING } from './palette';
import { stat, timeseries } from './panels';

/** Prometheus panels show live state: the last hour, whatever the dashboard's range (Prometheus keeps its own). */
export const LIVE = '1h';
const PER_GPU = '{{Hostname}} gpu {{gpu}}';

/** Throttling starts near 85 °C on H100/A100 boards; 90 °C and up deserves a page (alerts.ts). */
export const GPU_TEMP_WARN = 85;
export const GPU_TEMP_CRIT = 90;

/** `selector`: label matchers of the hosts to show, e.g. `Hostname=~"$host"`. */
export function gpuPanels(selector: string, what: string): PanelSpec[] {
  const common = { timeFrom: LIVE };
  return [
    timeseries({
      ...common,
      title: 'GPU utilisation (DCGM)',
      description: `DCGM_FI_DEV_GPU_UTIL per GPU of ${what}: a GPU far below its peers is a straggler; all at 0 is a hung job.`,
      w: 12,
      h: 8,
      targets: [prom(`DCGM_FI_DEV_GPU_UTIL{${selector}}`, PER_GPU)],
      field: { unit: 'percent', min: 0, max: 100, color: 'palette' },
    }),
    timeseries({
      ...common,
      title: 'Tensor core and DRAM activity (DCGM profiling)',
      description: `DCGM_FI_PROF_PIPE_TENSOR_ACTIVE, DCGM_FI_PROF_GR_ENGINE_ACTIVE and DCGM_FI_PROF_DRAM_ACTIVE averaged per host of ${what} (the DCP set; empty on GPUs without profiling).`,
      w: 12,
      h: 8,
      targets: [
        prom(`avg by (Hostname) (DCGM_FI_PROF_PIPE_TENSOR_ACTIVE{${selector}})`, '{{Hostname}} tensor', 'A'),
        prom(`avg by (Hostname) (DCGM_FI_PROF_GR_ENGINE_ACTIVE{${selector}})`, '{{Hostname}} graphics engine', 'B'),
        prom(`avg by (Hostname) (DCGM_FI_PROF_DRAM_ACTIVE{${selector}})`, '{{Hostname}} DRAM', 'C'),
      ],
      field: { unit: 'percentunit', min: 0, max: 1, color: 'palette' },
    }),
    timeseries({
      ...common,
      title: 'GPU framebuffer used / free (DCGM)',
      description: `DCGM_FI_DEV_FB_USED and DCGM_FI_DEV_FB_FREE (MiB) summed per host of ${what}.`,
      w: 8,
      h: 8,
      targets: [
        prom(`sum by (Hostname) (DCGM_FI_DEV_FB_USED{${selector}})`, '{{Hostname}} used', 'A'),
        prom(`sum by (Hostname) (DCGM_FI_DEV_FB_FREE{${selector}})`, '{{Hostname}} free', 'B'),
      ],
      field: { unit: 'mbytes', min: 0, color: 'palette' },
    }),
    timeseries({
      ...common,
      title: 'GPU power (DCGM)',
      description: `DCGM_FI_DEV_POWER_USAGE (W) per GPU of ${what}.`,
      w: 8,
      h: 8,
      targets: [prom(`DCGM_FI_DEV_POWER_USAGE{${selector}}`, PER_GPU)],
      field: { unit: 'watt', min: 0, color: 'palette' },
    }),
    timeseries({
      ...common,
      title: 'GPU temperature (DCGM)',
      description: `DCGM_FI_DEV_GPU_TEMP per GPU of ${what}; the dashed lines are the ${GPU_TEMP_WARN} °C warning and the ${GPU_TEMP_CRIT} °C alert.`,
      w: 8,
      h: 8,
      thresholdsStyle: 'line',
      targets: [prom(`DCGM_FI_DEV_GPU_TEMP{${selector}}`, PER_GPU)],
      field: {
        unit: 'celsius',
        min: 20,
        color: 'palette',
        thresholds: steps(TEAL, [GPU_TEMP_WARN, WARNING], [GPU_TEMP_CRIT, ERROR]),
      },
    }),
    timeseries({
      ...common,
      title: 'SM clock (DCGM)',
      description: `DCGM_FI_DEV_SM_CLOCK (MHz) per GPU of ${what}: a clock dropping under load means power or thermal throttling.`,
      w: 12,
      h: 7,
      targets: [prom(`DCGM_FI_DEV_SM_CLOCK{${selector}}`, PER_GPU)],
      field: { unit: 'rotmhz', min: 0, color: 'palette' },
    }),
    stat({
      title: 'Last XID error per GPU (DCGM)',
      description: `DCGM_FI_DEV_XID_ERRORS of each GPU of ${what}: 0 = none; any other value is the last XID the driver reported (79 = fallen off the bus, 48 = double-bit ECC, 63/64 = row remapping).`,
      w: 12,
      h: 7,
      colorMode: 'background',
      textMode: 'value_and_name',
      targets: [promInstant(`max by (Hostname, gpu) (DCGM_FI_DEV_XID_ERRORS{${selector}})`, PER_GPU)],
      field: {
        decimals: 0,
        thresholds: steps(SUCCESS, [1, ERROR]),
        mappings: [{ type: MappingType.ValueToText, options: { '0': { text: 'none', color: SUCCESS, index: 0 } } }],
      },
    }),
  ];
}
