import React from 'react';
import { render, screen } from '@testing-library/react';
import type { AppRootProps } from '@grafana/data';
import { AppHome } from './AppHome';

test('the root page links the five provisioned dashboards', () => {
  render(<AppHome {...({} as AppRootProps)} />);
  const hrefs = screen.getAllByRole('link').map((a) => a.getAttribute('href'));
  expect(hrefs).toEqual([
    '/d/rlhf-overview',
    '/d/rlhf-data',
    '/d/rlhf-training',
    '/d/rlhf-evaluation',
    '/d/rlhf-deployment',
  ]);
  expect(screen.getByText('2 Training')).toBeInTheDocument();
});
