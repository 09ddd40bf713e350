import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fireEvent, render, screen } from '@testing-library/react';
import { setBackendSrv } from '@grafana/runtime';
import { load } from 'js-yaml';
import React from 'react';
import { of, throwError } from 'rxjs';
import { APP_ID } from '../../setup/inputs';
import { isProvisioned } from '../../setup/setup';
import { ProvisionedNotice } from './ProvisionedNotice';

const shipped = load(readFileSync(join(__dirname, '../../../provisioning/plugins/apps.yaml'), 'utf8')) as {
  apps: Array<{ jsonData: unknown }>;
};

// Grafana writes a provisioned app's jsonData from apps.yaml at every start: the configuration page says so and
// gives the file with the settings saved since, to keep them.
describe('ProvisionedNotice', () => {
  it('knows the shipped apps.yaml as provisioned, and no other settings', () => {
    expect(isProvisioned(shipped.apps[0].jsonData)).toBe(true);
    expect(isProvisioned({})).toBe(false);
    expect(isProvisioned({ provisioned: 'yes' })).toBe(false);
    expect(isProvisioned(undefined)).toBe(false);
  });

  it('shows the apps.yaml that keeps the settings as they are now, read fresh', async () => {
    const jsonData = {
      provisioned: true,
      playgroundEnabled: true,
      setup: { datasourceUid: 'rlhf' },
      providers: [{ slot: 1, name: 'vLLM "local" #1: x', url: 'http://vllm:8000/v1', models: ['m-1'] }],
    };
    const urls: string[] = [];
    setBackendSrv({
      fetch: (o: { url: string }) => (urls.push(o.url), of({ data: { enabled: true, pinned: true, jsonData } })),
    } as never);
    render(<ProvisionedNotice appId={APP_ID} />);
    expect(screen.getByText('This app is provisioned by provisioning/plugins/apps.yaml')).toBeVisible();
    fireEvent.click(screen.getByRole('button', { name: 'Show the file with the current settings' }));
    const text = (await screen.findByTestId('provisioned-apps-yaml')).textContent ?? '';
    expect(urls).toEqual([`/api/plugins/${APP_ID}/settings`]);
    // The shipped file with the current jsonData: names with quotes, colons and hashes survive the round trip.
    expect(load(text)).toEqual({ ...shipped, apps: [{ ...shipped.apps[0], jsonData }] });
    expect(screen.getByRole('button', { name: 'Read the settings again' })).toBeVisible();
  });

  it('says when the settings cannot be read', async () => {
    setBackendSrv({
      fetch: () => throwError(() => ({ status: 403, statusText: 'Forbidden', data: { message: 'Permission denied' } })),
    } as never);
    render(<ProvisionedNotice appId={APP_ID} />);
    fireEvent.click(screen.getByRole('button', { name: 'Show the file with the current settings' }));
    expect(await screen.findByText('Could not read the app’s settings: Permission denied')).toBeVisible();
    expect(screen.queryByTestId('provisioned-apps-yaml')).toBeNull();
  });
});
