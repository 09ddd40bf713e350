/** @jest-environment node */
// The alert rules as Prometheus runs them: `promtool check rules`, the unit tests in prometheus/rules.test.yml
// (series with the service's own /metrics names and vLLM/DCGM-shaped series: fires / does not fire), and
// `promtool check config`.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALERT_RULES } from '../dashboards/src/alerts';
import { PROMTOOL, run, toolAvailable } from './tools';

const ROOT = join(__dirname, '..');
const PROM_DIR = join(ROOT, 'prometheus');
const available = toolAvailable(PROMTOOL);
const maybe = available ? it : it.skip;

describe('Prometheus rules and config (promtool)', () => {
  maybe('promtool check rules accepts prometheus/rules.yml', () => {
    const r = run('promtool', ['check', 'rules', join(PROM_DIR, 'rules.yml')]);
    expect(r.output).toContain(`SUCCESS: ${ALERT_RULES.length} rules found`);
    expect(ALERT_RULES.length).toBe(13);
    expect(r.status).toBe(0);
  });

  maybe('promtool test rules: every alert fires and stays quiet exactly as rules.test.yml expects', () => {
    const r = run('promtool', ['test', 'rules', 'rules.test.yml'], PROM_DIR);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
    // Every rule has a case that makes it fire.
    const cases = readFileSync(join(PROM_DIR, 'rules.test.yml'), 'utf8');
    for (const a of ALERT_RULES) {
      expect([a.alert, cases.includes(`alertname: ${a.alert}\n        exp_alerts:\n          - exp_labels`)]).toEqual([
        a.alert,
        true,
      ]);
    }
  });

  maybe('the vLLM unit tests can fail: p99 SLO at 5 s instead of 2 s breaks them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlhf-rules-'));
    const rules = readFileSync(join(PROM_DIR, 'rules.yml'), 'utf8');
    const slo = 'vllm:e2e_request_latency_seconds_bucket{job="vllm"}[5m])))) > 2';
    const mutated = rules.replace(slo, slo.replace('> 2', '> 5'));
    expect(mutated).not.toBe(rules);
    writeFileSync(join(dir, 'rules.yml'), mutated);
    copyFileSync(join(PROM_DIR, 'rules.test.yml'), join(dir, 'rules.test.yml'));
    const r = run('promtool', ['test', 'rules', 'rules.test.yml'], dir);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('VllmE2eLatencyP99OverSlo');
  });

  maybe('the unit tests can fail: a wrong error-rate threshold (7%) breaks them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlhf-rules-'));
    const rules = readFileSync(join(PROM_DIR, 'rules.yml'), 'utf8');
    const mutated = rules.replace('rlhf_deployment_error_rate > 0.02', 'rlhf_deployment_error_rate > 0.07');
    expect(mutated).not.toBe(rules);
    writeFileSync(join(dir, 'rules.yml'), mutated);
    copyFileSync(join(PROM_DIR, 'rules.test.yml'), join(dir, 'rules.test.yml'));
    const r = run('promtool', ['test', 'rules', 'rules.test.yml'], dir);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('RlhfDeploymentErrorRateHigh');
  });

  maybe('promtool check config accepts prometheus/prometheus.yml (container paths mapped to temp files)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlhf-prom-'));
    copyFileSync(join(PROM_DIR, 'rules.yml'), join(dir, 'rules.yml'));
    writeFileSync(join(dir, 'api_key'), 'test-key');
    const config = readFileSync(join(PROM_DIR, 'prometheus.yml'), 'utf8')
      .replace('/etc/prometheus/rules.yml', join(dir, 'rules.yml'))
      .replaceAll('/run/rlhf/api_key', join(dir, 'api_key'));
    writeFileSync(join(dir, 'prometheus.yml'), config);
    const r = run('promtool', ['check', 'config', join(dir, 'prometheus.yml')]);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});
