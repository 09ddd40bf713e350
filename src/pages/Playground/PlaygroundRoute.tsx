import { locationUtil, type AppRootProps } from '@grafana/data';
import { Alert, LinkButton, Stack, Text } from '@grafana/ui';
import React, { type ComponentType } from 'react';
import { PlaygroundPage } from './PlaygroundPage';
import { isPlaygroundEnabled } from './settings';

export const PLAYGROUND_PATH = 'playground';

/** `/a/<app>/playground`, or the app's home with `?debug=chat` (the entry point of the system this replaces). */
export function wantsPlayground(pathname: string, search: string): boolean {
  return (
    pathname.replace(/\/+$/, '').endsWith(`/${PLAYGROUND_PATH}`) || new URLSearchParams(search).get('debug') === 'chat'
  );
}

/**
 * The app's root page with the Playground added: shown at /playground or with ?debug=chat, and linked from the
 * home page only once an admin has enabled it (plugin.json pages cannot be hidden conditionally, so the
 * Playground is not one of them).
 */
export function withPlayground(Home: ComponentType<AppRootProps>): ComponentType<AppRootProps> {
  return function AppRoot(props: AppRootProps) {
    const enabled = isPlaygroundEnabled(props.meta.jsonData);
    const { pathname, search } = window.location;
    const debug = new URLSearchParams(search).get('debug') === 'chat';
    if (wantsPlayground(pathname, search)) {
      if (!enabled && !debug) {
        return (
          <Alert severity="info" title="The Playground is not enabled">
            An admin enables it on the app’s configuration page (“Playground” section). It is also reachable with
            ?debug=chat on the app’s home page.
          </Alert>
        );
      }
      return <PlaygroundPage pluginId={props.meta.id} jsonData={props.meta.jsonData} />;
    }
    if (!enabled) {
      return <Home {...props} />;
    }
    return (
      <Stack direction="column" gap={2}>
        <Home {...props} />
        <Stack direction="row" gap={2} alignItems="center">
          <LinkButton
            icon="comments-alt"
            variant="secondary"
            href={locationUtil.assureBaseUrl(`/a/${props.meta.id}/${PLAYGROUND_PATH}`)}
          >
            Playground
          </LinkButton>
          <Text color="secondary">Chat with and compare models; every judgement becomes preference data.</Text>
        </Stack>
      </Stack>
    );
  };
}
