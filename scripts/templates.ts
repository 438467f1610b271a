/**
 * `npm run templates`: writes workflows/<source>/*.json from the step definitions in
 * scripts/templates/. Edit those, never the JSON: test/workflows/templates.generated.test.ts fails
 * when a committed template differs from what this writes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { generateTemplates } from './templates/index';

const root = join(__dirname, '..');
for (const { path, text } of generateTemplates()) {
	mkdirSync(dirname(join(root, path)), { recursive: true });
	writeFileSync(join(root, path), text);
	console.log(`wrote ${path}`);
}
