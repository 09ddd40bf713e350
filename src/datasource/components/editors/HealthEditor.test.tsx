import { fireEvent, screen } from '@testing-library/react';
import { installDomStubs } from '../../testing/domStubs';
import { commit, installBackend, openPicker, renderEditor, settle } from '../../testing/editorHarness';

beforeAll(installDomStubs);
beforeEach(() => installBackend());

test('a new health query takes the first run with training data, not the first run', async () => {
  const ed = await renderEditor({ refId: 'H', type: 'health', run: '', version: 1 });
  expect(ed.query()).toEqual({ refId: 'H', type: 'health', run: 'dpo-llama3-8b', version: 1 });
  expect(await openPicker('Run')).not.toContain('annotation-pipeline');
});

test('curves offer roles and the run metrics; smoothing 5 is refused; thresholds fold out', async () => {
  const ed = await renderEditor({ refId: 'H', type: 'health', run: 'ppo-llama3-8b', version: 1 });
  const curves = await openPicker('Curves');
  expect(curves).toEqual(expect.arrayContaining(['reward', 'kl', 'entropy', 'objective/kl']));
  fireEvent.keyDown(screen.getByRole('combobox', { name: 'Curves' }), { key: 'Escape' });
  await commit('Smoothing', '5');
  expect(screen.getByText('Enter a number from 0 to 0.999')).toBeVisible();
  await commit('Max steps', '2000');
  expect(screen.queryByLabelText('KL budget')).not.toBeInTheDocument();
  fireEvent.click(screen.getByText('Signal thresholds'));
  await settle();
  await commit('KL budget', '0.8');
  expect(ed.query()).toEqual({
    refId: 'H',
    type: 'health',
    run: 'ppo-llama3-8b',
    max_steps: 2000,
    kl_budget: 0.8,
    version: 1,
  });
  expect(ed.runs()).toBe(2);
});
