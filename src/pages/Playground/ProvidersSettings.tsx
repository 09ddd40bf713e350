import { css } from '@emotion/css';
import type { AppPluginMeta, GrafanaTheme2, KeyValue } from '@grafana/data';
import { config, getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Checkbox, Field, Input, SecretInput, Stack, TextArea, useStyles2 } from '@grafana/ui';
import React, { useState } from 'react';
import { listModels, proxyBase } from './openai';
import {
  apiKeyKey,
  isPlaygroundEnabled,
  parseModels,
  PROVIDER_SLOTS,
  providerProblem,
  providersFrom,
  type Provider,
  withProviders,
} from './settings';

interface Row extends Provider {
  /** What the admin typed; sent once as secureJsonData, never read back (Grafana only says it is set). */
  key: string;
  keySet: boolean;
  modelsText: string;
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
    padding: theme.spacing(2),
    // the width of the setup steps above it
    maxWidth: 880,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  }),
  title: css({ margin: 0 }),
  provider: css({ borderTop: `1px solid ${theme.colors.border.weak}`, paddingTop: theme.spacing(1.5) }),
  subtitle: css({ fontSize: theme.typography.h5.fontSize, margin: theme.spacing(0, 0, 1) }),
});

interface PluginSettings {
  enabled: boolean;
  pinned: boolean;
  jsonData?: KeyValue;
  secureJsonFields?: Record<string, boolean>;
}

function rowsFrom(meta: AppPluginMeta): Row[] {
  return providersFrom(meta.jsonData).map((p) => ({
    ...p,
    key: '',
    keySet: Boolean(meta.secureJsonFields?.[apiKeyKey(p.slot)]),
    modelsText: p.models.join(', '),
  }));
}

/**
 * The Playground's part of the app's configuration page (admin only): the "enable Playground" switch and the
 * OpenAI-compatible providers. Saving merges into the app's current settings, so other sections keep theirs.
 */
export function ProvidersSettings({ meta }: { meta: AppPluginMeta }) {
  const [rows, setRows] = useState<Row[]>(() => rowsFrom(meta));
  const [enabled, setEnabled] = useState(isPlaygroundEnabled(meta.jsonData));
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' | 'error'; message?: string }>({
    kind: 'idle',
  });
  const [listing, setListing] = useState<Record<number, string>>({});
  // Field problems show once the admin has tried to save, not while a new provider is still empty.
  const [tried, setTried] = useState(false);
  const st = useStyles2(getStyles);
  const settingsUrl = `/api/plugins/${encodeURIComponent(meta.id)}/settings`;

  const patch = (slot: number, p: Partial<Row>) =>
    setRows((rs) => rs.map((r) => (r.slot === slot ? { ...r, ...p } : r)));
  const free = Array.from({ length: PROVIDER_SLOTS }, (_, i) => i + 1).find((s) => !rows.some((r) => r.slot === s));
  const problems = rows.map((r) => (tried ? providerProblem(r) : undefined));

  const save = async () => {
    setTried(true);
    if (rows.some((r) => providerProblem(r))) {
      setState({ kind: 'error', message: 'Fix the fields marked below, then save again.' });
      return;
    }
    setState({ kind: 'saving' });
    try {
      const current = await getBackendSrv().get<PluginSettings>(settingsUrl);
      const kept = providersFrom(current.jsonData).map((p) => p.slot);
      const secureJsonData: Record<string, string> = {};
      for (const r of rows) {
        if (r.key !== '') {
          secureJsonData[apiKeyKey(r.slot)] = r.key;
        }
      }
      // A removed provider's key is cleared, so a later provider in its slot does not inherit it.
      for (const slot of kept.filter((s) => !rows.some((r) => r.slot === s))) {
        secureJsonData[apiKeyKey(slot)] = '';
      }
      const providers = rows.map((r) => ({
        slot: r.slot,
        name: r.name,
        url: r.url,
        models: parseModels(r.modelsText),
      }));
      await getBackendSrv().post(settingsUrl, {
        enabled: current.enabled,
        pinned: current.pinned,
        jsonData: withProviders(current.jsonData, providers, enabled),
        secureJsonData,
      });
      setRows((rs) => rs.map((r) => ({ ...r, keySet: r.keySet || r.key !== '', key: '' })));
      setState({ kind: 'saved', message: 'Saved. Reload the app pages to use the new providers.' });
    } catch (e) {
      const err = e as { status?: number; data?: { message?: string } };
      setState({
        kind: 'error',
        message: `Saving failed${err.status ? ` (${err.status})` : ''}: ${err.data?.message ?? String(e)}. Only Grafana admins can change app settings.`,
      });
    }
  };

  const loadModels = async (r: Row) => {
    setListing((l) => ({ ...l, [r.slot]: 'Listing…' }));
    try {
      const models = await listModels(
        proxyBase(config.appSubUrl ?? '', meta.id, r.slot),
        r.name || `Provider ${r.slot}`
      );
      if (models.length === 0) {
        setListing((l) => ({ ...l, [r.slot]: 'The endpoint lists no models; enter them by hand.' }));
        return;
      }
      patch(r.slot, { modelsText: models.join(', ') });
      setListing((l) => ({ ...l, [r.slot]: `${models.length} models listed; save to keep them.` }));
    } catch (e) {
      setListing((l) => ({ ...l, [r.slot]: e instanceof Error ? e.message : String(e) }));
    }
  };

  return (
    <section className={st.section} aria-labelledby="playground-settings-title" data-testid="playground-settings">
      <h3 className={st.title} id="playground-settings-title">
        Playground
      </h3>
      <Checkbox
        label="Enable the Playground"
        description="Shows the Playground on the app's home page. Without it, the page is only reachable with ?debug=chat."
        value={enabled}
        onChange={(e) => setEnabled(e.currentTarget.checked)}
      />
      {rows.map((r, i) => (
        <div key={r.slot} className={st.provider} role="group" aria-labelledby={`playground-provider-${r.slot}`}>
          <h4 className={st.subtitle} id={`playground-provider-${r.slot}`}>
            Provider {i + 1}
          </h4>
          <Field label="Name" invalid={Boolean(problems[i]) && r.name.trim() === ''} error={problems[i]}>
            <Input
              id={`playground-name-${r.slot}`}
              value={r.name}
              width={40}
              placeholder="e.g. OpenAI, DeepSeek, vLLM"
              onChange={(e) => patch(r.slot, { name: e.currentTarget.value })}
            />
          </Field>
          <Field
            label="Base URL"
            description="The OpenAI-compatible API root, with its version: https://api.openai.com/v1, https://api.deepseek.com/v1, http://vllm:8000/v1, http://ollama:11434/v1."
            invalid={Boolean(problems[i]) && r.name.trim() !== ''}
          >
            <Input
              id={`playground-url-${r.slot}`}
              value={r.url}
              width={60}
              placeholder="https://api.openai.com/v1"
              onChange={(e) => patch(r.slot, { url: e.currentTarget.value })}
            />
          </Field>
          <Field
            label="API key"
            description="Kept encrypted by Grafana and added to requests on the server; never sent back to a browser. Leave empty for endpoints without keys."
          >
            <SecretInput
              id={`playground-key-${r.slot}`}
              width={60}
              value={r.key}
              isConfigured={r.keySet && r.key === ''}
              onChange={(e) => patch(r.slot, { key: e.currentTarget.value })}
              onReset={() => patch(r.slot, { keySet: false, key: '' })}
            />
          </Field>
          <Field
            label="Models"
            description="Comma-separated model ids. “List models” asks the saved endpoint’s /models."
          >
            <Stack direction="column" gap={1}>
              <TextArea
                id={`playground-models-${r.slot}`}
                rows={2}
                value={r.modelsText}
                placeholder="gpt-4o-mini, deepseek-chat, meta-llama/Llama-3.1-8B-Instruct"
                onChange={(e) => patch(r.slot, { modelsText: e.currentTarget.value })}
              />
              <Stack direction="row" gap={1} alignItems="center">
                <Button
                  size="sm"
                  variant="secondary"
                  onClick={() => loadModels(r)}
                  aria-label={`List models of provider ${i + 1}`}
                >
                  List models
                </Button>
                {listing[r.slot] && <span>{listing[r.slot]}</span>}
              </Stack>
            </Stack>
          </Field>
          <Button
            variant="destructive"
            fill="outline"
            size="sm"
            onClick={() => setRows((rs) => rs.filter((x) => x.slot !== r.slot))}
          >
            Remove provider {i + 1}
          </Button>
        </div>
      ))}
      <Stack direction="row" gap={1}>
        {free !== undefined && (
          <Button
            variant="secondary"
            icon="plus"
            onClick={() =>
              setRows((rs) => [
                ...rs,
                { slot: free, name: '', url: '', models: [], key: '', keySet: false, modelsText: '' },
              ])
            }
          >
            Add provider
          </Button>
        )}
        <Button onClick={save} disabled={state.kind === 'saving'}>
          Save Playground settings
        </Button>
      </Stack>
      {free === undefined && <p>All {PROVIDER_SLOTS} provider slots are in use.</p>}
      {state.kind === 'saved' && <Alert severity="success" title={state.message ?? 'Saved'} />}
      {state.kind === 'error' && <Alert severity="error" title={state.message ?? 'Error'} />}
    </section>
  );
}
