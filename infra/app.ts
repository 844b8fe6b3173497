import { App } from 'aws-cdk-lib';
import { buildApp } from './build-app';
import { ConfigError } from './config/errors';
import { loadConfig } from './config/load';
import type { ProjectConfig } from './config/schema';
import { applyNag } from './nag';

const app = new App();

let config: ProjectConfig;
try {
  config = loadConfig(app.node.tryGetContext('project'));
} catch (err: unknown) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`error: ${err.message}\n`);
  process.exit(1);
}

buildApp(app, config);
applyNag(app);
app.synth();
