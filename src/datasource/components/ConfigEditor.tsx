import React, { type ChangeEvent } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { ConfigSection, DataSourceDescription } from '@grafana/plugin-ui';
import { Divider, Field, Input, SecretInput, Stack } from '@grafana/ui';
import type { RlhfOptions, RlhfSecureOptions } from '../types';

type Props = DataSourcePluginOptionsEditorProps<RlhfOptions, RlhfSecureOptions>;

/** The app's page in Grafana's plugin catalog: its README tells how to run the service and connect it. */
export const DOCS_LINK = '/plugins/humain-rlhfmonitor-app';

/**
 * The service URL (jsonData, readable by viewers) and the API key (secureJsonData: encrypted by Grafana, never
 * sent back to the browser; the proxy route adds it as `Authorization: Bearer ...`), in Grafana's standard
 * Connection and Authentication sections.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields, secureJsonData } = options;

  const onUrlChange = (e: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, url: e.currentTarget.value.trim() } });

  const onKeyChange = (e: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, apiKey: e.currentTarget.value } });

  // Reset forgets the stored key: Grafana deletes it on save, and the field becomes editable again.
  const onKeyReset = () =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, apiKey: false },
      secureJsonData: { ...secureJsonData, apiKey: '' },
    });

  return (
    <Stack direction="column" gap={2}>
      <DataSourceDescription dataSourceName="RLHF Monitor" docsLink={DOCS_LINK} hasRequiredFields />
      <Divider />
      <ConfigSection
        title="Connection"
        description="Where Grafana's server reaches the RLHF metrics service; requests go through Grafana's data-source proxy."
      >
        <Field
          label="URL"
          description="The service's base URL, e.g. http://127.0.0.1:8400 (or http://rlhf-monitor:8400 in the compose setup)."
          required
          invalid={jsonData.url !== undefined && jsonData.url !== '' && !/^https?:\/\/[^/]/.test(jsonData.url)}
          error="Start with http:// or https://"
        >
          <Input
            id="rlhf-config-url"
            width={48}
            value={jsonData.url ?? ''}
            placeholder="http://127.0.0.1:8400"
            onChange={onUrlChange}
          />
        </Field>
      </ConfigSection>
      <Divider />
      <ConfigSection
        title="Authentication"
        description="The service checks a Bearer key when it was started with RLHF_API_KEY; Grafana adds it to every request and never sends it to browsers."
      >
        <Field
          label="API key"
          description="The value of RLHF_API_KEY the service was started with. Leave empty if the service runs without a key."
        >
          <SecretInput
            id="rlhf-config-api-key"
            width={48}
            isConfigured={Boolean(secureJsonFields?.apiKey)}
            value={secureJsonData?.apiKey ?? ''}
            placeholder="Paste the service's key"
            onChange={onKeyChange}
            onReset={onKeyReset}
          />
        </Field>
      </ConfigSection>
    </Stack>
  );
}
