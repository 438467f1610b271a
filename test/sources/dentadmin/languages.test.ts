import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderSource, type ReadResult } from '../../../lib/sources/common';
import { comparable } from './comparable';
import { readDentAdminExport } from '../../../lib/sources/dentadmin/read';
import { generateDentAdminExport } from '../../../scripts/sample-data/dentadmin';

async function readGenerated(language: 'nl' | 'fr', encoding: 'cp1252' | 'utf8bom') {
	const out = mkdtempSync(join(tmpdir(), `dentadmin-${language}-`));
	await generateDentAdminExport({ patients: 24, seed: 11, out, language, encoding });
	const result = await readDentAdminExport(folderSource(out), {
		practiceName: 'Tandartsenpraktijk Zuid',
	});
	return { ...result, comparable: comparable(result, out) };
}

describe('Dutch and French exports of one practice', () => {
	it('give identical canonical bundles and reference entities', async () => {
		const dutch = await readGenerated('nl', 'cp1252');
		const french = await readGenerated('fr', 'utf8bom');
		expect(dutch.bundles.length).toBe(24);
		expect(french.comparable).toEqual(dutch.comparable);
		const FRENCH_NAMES: Record<string, string> = {
			'patients.csv': 'patienten.csv',
			'traitements.csv': 'behandelingen.csv',
			'rendezvous.csv': 'afspraken.csv',
			'documents.csv': 'documenten.csv',
		};
		const found = (result: ReadResult) =>
			result.report.issues
				.filter((issue) => issue.severity !== 'info')
				.map((issue) => [FRENCH_NAMES[issue.file] ?? issue.file, issue.line, issue.code]);
		expect(found(french)).toEqual(found(dutch));
		expect(french.report.files.map((file) => file.file)).toEqual([
			'mutualites.csv',
			'utilisateurs.csv',
			'patients.csv',
			'traitements.csv',
			'rendezvous.csv',
			'notes.csv',
			'documents.csv',
		]);
	});

	it('normalises the language-specific words to neutral values', async () => {
		const french = await readGenerated('fr', 'utf8bom');
		const providers = french.references.filter((entity) => entity.kind === 'provider');
		expect(
			providers.map(
				(p) =>
					p.kind === 'provider' && [
						p.sourceId,
						p.lastName,
						p.firstName,
						p.role,
						p.roleLabel,
						p.active,
					],
			),
		).toEqual([
			['1', 'Peeters', 'Katrien', 'dentist', 'Dentiste', true],
			['2', 'Lefèvre', 'Jérôme', 'dentist', 'Dentiste', true],
			['3', 'Van Damme', 'Geert', 'dentist', 'Dentiste', false],
			['4', 'Dewaële', 'Noëmi', 'assistant', 'Assistante', true],
			['5', 'Gérard', 'Françoise', 'secretary', 'Secrétariat', true],
		]);
		const types = new Set(
			french.bundles.flatMap((b) => b.appointments.map((a) => `${a.type}/${a.typeLabel ?? ''}`)),
		);
		expect([...types].sort()).toEqual([
			'checkup/',
			'consultation/',
			'other/Orthodontie',
			'treatment/',
		]);
		expect(french.references[0]).toEqual({
			kind: 'practice',
			sourceSystem: 'dentadmin',
			sourceId: 'main',
			sourceKey: 'dentadmin:practice:main',
			extra: {},
			name: 'Tandartsenpraktijk Zuid',
		});
	});
});
