// Before `npm pack`: copies what the package ships from outside its folder or from code. The rule pages and the
// configuration page they link to (the language server links diagnostics to the installed pages), and the JSON
// schema of deadbolt.config.json as a file (`"$schema": "./node_modules/@deadbolt/server/deadbolt.config.schema.json"`).
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { configSchema } from '../dist/src/engine/config-schema.js';

cpSync('../docs/rules', 'docs/rules', { recursive: true });
mkdirSync('docs', { recursive: true });
cpSync('../docs/configuration.md', 'docs/configuration.md');
writeFileSync('deadbolt.config.schema.json', `${JSON.stringify(configSchema, null, 2)}\n`);
