// Builds the e2e host page: React, ReactDOM, @grafana/data|ui|runtime, @emotion/css, rxjs and lodash in one
// bundle, exposed to the built panel modules as AMD dependencies (see index.tsx).
import path from 'path';
import webpack, { type Configuration } from 'webpack';

export const HOST_DIR = __dirname;
export const HOST_DIST = path.join(__dirname, 'dist');

export function hostConfig(): Configuration {
  return {
    mode: 'development',
    devtool: false,
    context: HOST_DIR,
    entry: { host: './index.tsx' },
    output: { path: HOST_DIST, filename: '[name].js', publicPath: '', clean: false },
    cache: {
      type: 'filesystem',
      cacheDirectory: path.join(HOST_DIR, '..', '..', 'node_modules', '.cache', 'rlhf-e2e-host'),
    },
    resolve: { extensions: ['.tsx', '.ts', '.mjs', '.js', '.json'], fallback: { fs: false, path: false, os: false } },
    module: {
      rules: [
        {
          test: /\.[jt]sx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'classic' } } },
            },
          },
        },
        { test: /\.m?js$/, resolve: { fullySpecified: false } },
        { test: /\.css$/, use: ['style-loader', 'css-loader'] },
        { test: /\.(png|jpe?g|gif|svg|woff2?|eot|ttf|otf)$/, type: 'asset/inline' },
      ],
    },
    // One file: @grafana/ui's lazy chunks (Monaco etc.) would otherwise litter dist/ with ~100 files.
    plugins: [new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 })],
    performance: { hints: false },
    stats: 'errors-warnings',
  };
}

export default hostConfig;
