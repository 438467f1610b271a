import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOptions } from '../cli/options';
import { generateDentalExecExport } from './sample-data/dental-exec';
import { sampleReadme } from './sample-data/dental-exec/readme';

/**
 * `npm run sample-data -- --source dental-exec|dentadmin --patients N --seed S --out DIR [options]`
 *
 * Writes a deterministic synthetic export. DentAdmin also takes `--language nl|fr` (default nl)
 * and `--encoding cp1252|utf8bom` (default cp1252).
 */
const USAGE =
	'Usage: npm run sample-data -- --source dental-exec|dentadmin --patients N --seed S --out DIR ' +
	'[--language nl|fr] [--encoding cp1252|utf8bom]';

/** `--name value` options (all strings); anything else is refused with the usage. */
function parseArguments(argv: string[]): Record<string, string | undefined> {
	const names = ['source', 'patients', 'seed', 'out', 'language', 'encoding'];
	try {
		return parseOptions(
			argv,
			Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])),
		).values as Record<string, string | undefined>;
	} catch (error) {
		throw new Error(`${(error as Error).message}. ${USAGE}`);
	}
}

function wholeNumber(values: Record<string, string | undefined>, name: string): number {
	const value = Number(values[name]);
	if (!Number.isInteger(value) || value < 0)
		throw new Error(`--${name} must be a whole number. ${USAGE}`);
	return value;
}

async function main(): Promise<void> {
	const values = parseArguments(process.argv.slice(2));
	for (const name of ['source', 'patients', 'seed', 'out'])
		if (values[name] === undefined) throw new Error(`--${name} is missing. ${USAGE}`);
	const patients = wholeNumber(values, 'patients');
	const seed = wholeNumber(values, 'seed');
	const out = values.out as string; // checked above
	if (values.source === 'dental-exec') {
		const defects = generateDentalExecExport({ patients, seed, out });
		writeFileSync(join(out, 'README.md'), sampleReadme({ patients, seed }, defects));
		console.log(
			`Wrote a Dental-Exec export of ${patients} patients to ${out} (${defects.length} deliberate defects, listed in README.md)`,
		);
		return;
	}
	if (values.source === 'dentadmin') {
		const language = values.language ?? 'nl';
		const encoding = values.encoding ?? 'cp1252';
		if (language !== 'nl' && language !== 'fr')
			throw new Error(`--language must be nl or fr. ${USAGE}`);
		if (encoding !== 'cp1252' && encoding !== 'utf8bom')
			throw new Error(`--encoding must be cp1252 or utf8bom. ${USAGE}`);
		// Loaded on demand: the DentAdmin generator is its own module, written separately.
		const { generateDentAdminExport } = (await import('./sample-data/dentadmin')) as {
			generateDentAdminExport(opts: {
				patients: number;
				seed: number;
				out: string;
				language: 'nl' | 'fr';
				encoding: 'cp1252' | 'utf8bom';
			}): Promise<void>;
		};
		await generateDentAdminExport({ patients, seed, out, language, encoding });
		console.log(`Wrote a DentAdmin export of ${patients} patients to ${out}`);
		return;
	}
	throw new Error(`--source must be dental-exec or dentadmin. ${USAGE}`);
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(2);
});
