import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generateDentalExecExport } from '../../../scripts/sample-data/dental-exec';
import { sampleReadme } from '../../../scripts/sample-data/dental-exec/readme';

const SAMPLE = join(__dirname, '..', '..', '..', 'samples', 'dental-exec');

function filesOf(root: string, folder = root): Record<string, string> {
	const files: Record<string, string> = {};
	for (const name of readdirSync(folder)) {
		const path = join(folder, name);
		if (statSync(path).isDirectory()) Object.assign(files, filesOf(root, path));
		else files[relative(root, path)] = readFileSync(path, 'utf8');
	}
	return files;
}

function generate(
	patients: number,
	seed: number,
): { folder: string; files: Record<string, string> } {
	const folder = mkdtempSync(join(tmpdir(), 'dental-exec-sample-'));
	const defects = generateDentalExecExport({ patients, seed, out: folder });
	writeFileSync(join(folder, 'README.md'), sampleReadme({ patients, seed }, defects));
	return { folder, files: filesOf(folder) };
}

describe('Dental-Exec sample generator', () => {
	it('regenerates the committed sample byte for byte (--patients 200 --seed 42)', () => {
		expect(generate(200, 42).files).toEqual(filesOf(SAMPLE));
	});

	it('gives the same export for the same seed and another for another seed', () => {
		expect(generate(40, 3).files).toEqual(generate(40, 3).files);
		expect(generate(40, 3).files['patients.csv']).not.toEqual(
			generate(40, 4).files['patients.csv'],
		);
	});

	it('writes exactly the requested patients plus the one duplicate registration', () => {
		const { files } = generate(120, 5);
		expect(files['patients.csv'].trimEnd().split('\n')).toHaveLength(1 + 121);
	});
});
