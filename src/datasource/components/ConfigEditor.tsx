import React, { type ChangeEvent } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, Input, SecretInput, Stack, Text } from '@grafana/ui';
import type { RlhfOptions, RlhfSecureOptions } from '../types';

type Props = DataSourcePluginOptionsEditorProps<RlhfOptions, RlhfSecureOptions>;

/**
 * The service URL (jsonData, readable by viewers) and the API key (secureJsonData: encrypted by Grafana, never
 * sent back to the browser; the proxy route adds it as `Authorization: Bearer ...`).
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
    <Stack direction="column" gap={1}>
      <Text element="h3">RLHF metrics service</Text>
      <Field
        label="URL"
        description="Where Grafana's server reaches the service, e.g. http://127.0.0.1:8400 (requests go through Grafana's data-source proxy)."
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
      <Field
        label="API key"
        description="The RLHF_API_KEY the service was started with. Leave empty if the service runs without a key."
      >
        <SecretInput
          id="rlhf-config-api-key"
          width={48}
          isConfigured={Boolean(secureJsonFields?.apiKey)}
          value={secureJsonData?.apiKey ?? ''}
          placeholder="RLHF_API_KEY"
          onChange={onKeyChange}
          onReset={onKeyReset}
        />
      </Field>
    </Stack>
  );
}
