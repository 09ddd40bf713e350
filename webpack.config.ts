import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';
import grafanaConfig from './.config/webpack/webpack.config';

// The template copies only the app's own logos; nested plugins (data source, panels) need their img/ too.
const config = async (env: Record<string, unknown>): Promise<Configuration> =>
  merge(await grafanaConfig(env), {
    plugins: [new CopyWebpackPlugin({ patterns: [{ from: '**/img/**/*', to: '.', noErrorOnMissing: true }] })],
  });

export default config;
