import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { generateTemplates, TEMPLATES_FOLDER } from '../../scripts/templates/index';

const root = join(__dirname, '..', '..');
const FIX =
	'run `npm run templates` and commit the result; change templates in scripts/templates/, never the JSON';

describe('workflow templates are the generator output (scripts/templates/)', () => {
	const generated = generateTemplates();

	test.each(generated.map(({ path, text }) => [path, text]))('%s', (path, text) => {
		const committed = readFileSync(join(root, path), 'utf8');
		if (committed !== text) {
			const committedLines = committed.split('\n');
			const line = text.split('\n').findIndex((l, i) => l !== committedLines[i]);
			throw new Error(
				`${path} differs from the generator's output from line ${line + 1} on: ${FIX}`,
			);
		}
	});

	test('no template exists that the generator does not write', () => {
		const written = new Set(generated.map(({ path }) => path));
		const committed = readdirSync(join(root, TEMPLATES_FOLDER), {
			recursive: true,
			encoding: 'utf8',
		})
			.filter((file) => file.endsWith('.json'))
			.map((file) => join(TEMPLATES_FOLDER, file));
		expect(committed.filter((path) => !written.has(path))).toEqual([]);
		expect(generated).toHaveLength(2 * 10); // 10 templates per source (7 steps, status report, group coordinator and page)
	});

	test("the reader's records are read with the output index in every node that reads them", () => {
		// Issue 12: $('Reader').all() follows the path to the node, which in steps 4, 5 and delta
		// runs through the report output. Every reference to a reader's records names output 0.
		const references = generated.flatMap(({ path, text }) =>
			[...text.matchAll(/\$\('(Dental-Exec|DentAdmin) Reader'\)\.all\((\d?)\)/g)].map(
				(match) => `${path} all(${match[2]})`,
			),
		);
		expect(references.filter((reference) => !/all\([01]\)$/.test(reference))).toEqual([]);
		expect(references.filter((reference) => reference.endsWith('all(0)'))).toHaveLength(2 * 7); // steps 2 (twice), 4, 5, delta, status report and group coordinator
	});
});
