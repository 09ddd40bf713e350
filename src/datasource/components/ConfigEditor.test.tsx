import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { DataSourceSettings } from '@grafana/data';
import type { RlhfOptions, RlhfSecureOptions } from '../types';
import { ConfigEditor } from './ConfigEditor';

type Settings = DataSourceSettings<RlhfOptions, RlhfSecureOptions>;

function settings(over: Partial<Settings> = {}): Settings {
  return {
    id: 1,
    uid: 'ds1',
    orgId: 1,
    name: 'RLHF Monitor',
    type: 'humain-rlhf-datasource',
    typeName: 'RLHF Monitor',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData: { url: 'http://127.0.0.1:8400' },
    secureJsonFields: {},
    readOnly: false,
    withCredentials: false,
    ...over,
  } as Settings;
}

/** Render with Grafana's flow: every onOptionsChange becomes the next props. */
function setup(initial: Settings) {
  const changes: Settings[] = [];
  let current = initial;
  const view = render(<ConfigEditor options={current} onOptionsChange={onChange} />);
  function onChange(next: Settings) {
    changes.push(next);
    current = next;
    view.rerender(<ConfigEditor options={current} onOptionsChange={onChange} />);
  }
  return { changes, current: () => current };
}

test('the service URL goes to jsonData.url (what the proxy route reads)', () => {
  const { changes } = setup(settings({ jsonData: {} }));
  fireEvent.change(screen.getByLabelText(/^URL/), { target: { value: ' http://rlhf:8400 ' } });
  expect(changes[0].jsonData).toEqual({ url: 'http://rlhf:8400' });
  expect(changes[0].secureJsonData).toBeUndefined();
});

test('a URL without http(s) is flagged', () => {
  setup(settings({ jsonData: { url: 'rlhf:8400' } }));
  expect(screen.getByText('Start with http:// or https://')).toBeInTheDocument();
});

test('set: a new key goes to secureJsonData.apiKey only', () => {
  const { changes } = setup(settings());
  const key = screen.getByLabelText(/^API key/);
  expect(key).toBeEnabled();
  fireEvent.change(key, { target: { value: 's3cret' } });
  expect(changes[0].secureJsonData).toEqual({ apiKey: 's3cret' });
  expect(changes[0].jsonData).toEqual({ url: 'http://127.0.0.1:8400' });
  expect(JSON.stringify(changes[0].jsonData)).not.toContain('s3cret');
});

test('configured: the key is not shown; reset clears it and lets a new one be typed', () => {
  const { changes, current } = setup(settings({ secureJsonFields: { apiKey: true } }));
  const key = screen.getByLabelText(/^API key/);
  expect(key).toBeDisabled();
  expect(key).toHaveValue('configured');

  fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
  expect(changes[0].secureJsonFields).toEqual({ apiKey: false });
  expect(changes[0].secureJsonData).toEqual({ apiKey: '' });

  const editable = screen.getByLabelText(/^API key/);
  expect(editable).toBeEnabled();
  expect(editable).toHaveValue('');
  fireEvent.change(editable, { target: { value: 'new-key' } });
  expect(current().secureJsonData).toEqual({ apiKey: 'new-key' });
  expect(current().secureJsonFields).toEqual({ apiKey: false });
});

test('Connection and Authentication sections; the key placeholder does not read like the value to type', () => {
  setup(settings());
  expect(screen.getByRole('heading', { name: 'Connection' })).toBeInTheDocument();
  expect(screen.getByRole('heading', { name: 'Authentication' })).toBeInTheDocument();
  expect(screen.getByLabelText(/^API key/)).toHaveAttribute('placeholder', "Paste the service's key");
});
