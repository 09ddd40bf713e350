import React, { useState } from 'react';
import { Alert, Button, ClipboardButton, Stack, Text } from '@grafana/ui';
import { failure, getPluginSettings } from '../../setup/api';
import { appsYaml } from '../../setup/setup';

/**
 * On a provisioned app (apps.yaml sets `provisioned`): what is saved on this page lasts until Grafana restarts,
 * when Grafana writes the file's jsonData again. Offers the file's content with the settings as they are now.
 */
export function ProvisionedNotice({ appId }: { appId: string }) {
  const [yaml, setYaml] = useState<string>();
  const [error, setError] = useState<string>();
  const show = async () => {
    try {
      // Read fresh: the sections below save their parts while the page is open.
      setYaml(appsYaml((await getPluginSettings(appId)).jsonData ?? {}));
      setError(undefined);
    } catch (e) {
      setError(`Could not read the app’s settings: ${failure(e).message}`);
    }
  };
  return (
    <Alert
      title="This app is provisioned by provisioning/plugins/apps.yaml"
      severity="info"
      bottomSpacing={0}
      // as wide as the setup steps below it
      style={{ maxWidth: 880 }}
    >
      <Stack direction="column" gap={1}>
        <Text>
          Grafana writes that file’s settings into the app at every start, so what you save on this page (the
          Playground’s providers, the setup choices) lasts until Grafana restarts. API keys saved here are kept. To keep
          the rest, put the app’s current settings in the file.
        </Text>
        <Stack direction="row" gap={1}>
          <Button variant="secondary" size="sm" onClick={show}>
            {yaml ? 'Read the settings again' : 'Show the file with the current settings'}
          </Button>
          {yaml && (
            <ClipboardButton variant="secondary" size="sm" icon="copy" getText={() => yaml}>
              Copy
            </ClipboardButton>
          )}
        </Stack>
        {error && <Text color="error">{error}</Text>}
        {yaml && (
          <pre data-testid="provisioned-apps-yaml" aria-label="provisioning/plugins/apps.yaml">
            {yaml}
          </pre>
        )}
      </Stack>
    </Alert>
  );
}
