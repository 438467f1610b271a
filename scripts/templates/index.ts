import { join } from 'node:path';

import { GROUP_STEPS } from './group';
import { SOURCES } from './sources';
import { STEPS } from './steps';
import { serialise } from './workflow';

/** Where the templates live, relative to the repository root. */
export const TEMPLATES_FOLDER = 'workflows';

/** Every template the generator writes: its path under the repository root and its text. */
export function generateTemplates(): Array<{ path: string; text: string }> {
	return SOURCES.flatMap((source) =>
		Object.entries({ ...STEPS, ...GROUP_STEPS }).map(([file, step]) => ({
			path: join(TEMPLATES_FOLDER, source.source, `${file}.json`),
			text: serialise(step(source)),
		})),
	);
}
