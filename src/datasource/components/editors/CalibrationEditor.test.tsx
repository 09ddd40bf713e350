import { fireEvent, screen } from '@testing-library/react';
import { installDomStubs } from '../../testing/domStubs';
import { commit, installBackend, renderEditor, settle } from '../../testing/editorHarness';

beforeAll(installDomStubs);
beforeEach(() => installBackend());

const QUERY = { refId: 'B', type: 'calibration' as const, model: 'reward-model', version: 1 };

test('bins outside 1-100 and an interval like "daily" get a message at the field and are not saved', async () => {
  const ed = await renderEditor(QUERY);
  expect(screen.getByLabelText('Bins')).toHaveAttribute('min', '1');
  expect(screen.getByLabelText('Bins')).toHaveAttribute('max', '100');
  await commit('Bins', '500');
  expect(screen.getByText('Enter a number from 1 to 100')).toBeVisible();
  await commit('Bins', '2.5');
  expect(screen.getByText('Enter a whole number')).toBeVisible();
  await commit('Interval', 'daily');
  expect(screen.getByText(/Enter a duration such as 6h/)).toBeVisible();
  expect(ed.changes).toHaveLength(0);
  await commit('Bins', '15');
  await commit('Interval', '1d');
  expect(ed.query()).toEqual({ ...QUERY, bins: 15, interval: '1d' });
  expect(ed.runs()).toBe(2);
});

test('binning and the temperature fit are emitted; clearing an optional number removes it', async () => {
  const ed = await renderEditor({ ...QUERY, bins: 20 });
  fireEvent.click(screen.getByLabelText('Equal mass'));
  fireEvent.click(screen.getByLabelText('Temperature fit'));
  await settle();
  await commit('Bins', '');
  expect(ed.query()).toEqual({ ...QUERY, binning: 'quantile', temperature: true });
  expect(ed.runs()).toBe(3);
});
