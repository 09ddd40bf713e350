import { plugin as calibrationPlugin } from './calibration/module';
import { defaultOptions as calibrationDefaults } from './calibration/types';
import { plugin as driftPlugin } from './drift/module';
import { defaultOptions as driftDefaults } from './drift/types';
import { plugin as pipelinePlugin } from './pipeline/module';
import { defaultOptions as pipelineDefaults } from './pipeline/types';
import { registerStubOptionEditors } from './shared/optionEditors';
import calibrationJson from './calibration/plugin.json';
import driftJson from './drift/plugin.json';
import pipelineJson from './pipeline/plugin.json';
import appJson from '../plugin.json';
import fs from 'fs';
import path from 'path';

beforeAll(registerStubOptionEditors);

describe('panel modules', () => {
  // The options editor must produce exactly the defaults the components fall back to, path for path.
  it.each([
    ['calibration', calibrationPlugin, calibrationDefaults],
    ['drift', driftPlugin, driftDefaults],
    ['pipeline', pipelinePlugin, pipelineDefaults],
  ] as const)('%s: the options builder defaults equal the typed defaults', (_name, plugin, defaults) => {
    expect(plugin.defaults).toEqual(defaults);
  });

  it.each([
    ['calibration', calibrationJson, 'humain-calibration-panel'],
    ['drift', driftJson, 'humain-drift-panel'],
    ['pipeline', pipelineJson, 'humain-pipeline-panel'],
  ] as const)('%s: plugin.json is a panel with id, logos and screenshot files that exist', (dir, json, id) => {
    expect(json.type).toBe('panel');
    expect(json.id).toBe(id);
    expect(json.info.description.length).toBeGreaterThan(40);
    expect(json.info.keywords.length).toBeGreaterThanOrEqual(3);
    const files = [json.info.logos.small, json.info.logos.large, ...json.info.screenshots.map((s) => s.path)];
    for (const f of files) {
      expect(fs.existsSync(path.join(__dirname, dir, f))).toBe(true);
    }
    // The app lists the panel as a nested plugin.
    expect(appJson.includes).toContainEqual(
      expect.objectContaining({ type: 'panel', path: `panels/${dir}/plugin.json` })
    );
  });
});
