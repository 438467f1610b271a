import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confirmSpec } from '../../lib/mapping/confirm';
import { sampleExportColumns } from '../../lib/mapping/propose';
import { profileOf, proposeFromExport } from '../../lib/mapping/propose/fromExport';
import {
	MappingProfile,
	profileFromSpec,
	readProfiles,
	writeProfile,
} from '../../lib/mapping/propose/profiles';
import type { MappingSpec } from '../../lib/mapping/spec';
import { validateSpec } from '../../lib/mapping/validate';
import { folderSource } from '../../lib/sources';
import { TODAY } from './helpers';
import {
	FINNISH,
	finnishExport,
	packageVocabulary,
	valuesFoundIn,
	firstPatient,
	PREFERRED_CONTACT_FIELD,
} from './support/finnishExport';

/** Two Finnish exports of the sample: reversed column order, and alphabetical order. */
const FIRST = finnishExport();
const SECOND = finnishExport((headers) =>
	headers.map((_, i) => i).sort((a, b) => (headers[a] < headers[b] ? -1 : 1)),
);
const NAME = 'Dental-Exec (Finnish)';

/** What the consultant confirmed for the first export: every Finnish column to its field. */
const CONSULTANT: Record<string, string> = Object.fromEntries(
	Object.entries(FINNISH)
		.filter(([field]) => field !== 'PreferredContact')
		.map(([field, header]) => [header, field]),
);

async function confirmedSpecOfFirst(): Promise<MappingSpec> {
	const proposed = (await proposeFromExport('dental-exec', folderSource(FIRST), { today: TODAY }))
		.spec;
	const dropped = proposed.unknownColumns.map((c) => ('custom' in c.target ? c.target.custom : ''));
	return {
		...proposed,
		columnMap: { 'patients.csv': CONSULTANT },
		unknownColumns: [
			{
				entity: 'patient',
				header: 'Yhteydenottotapa',
				target: { object: 'person', custom: 'Preferred contact' },
			},
		],
		schema: {
			...proposed.schema,
			customFields: [
				...proposed.schema.customFields.filter((f) => !dropped.includes(f.name)),
				{
					object: 'person',
					name: 'Preferred contact',
					fieldType: 'enum',
					options: ['Email', 'Phone', 'Text'],
				},
			],
		},
	};
}

async function savedProfile(): Promise<{ folder: string; path: string }> {
	const spec = await confirmedSpecOfFirst();
	const { specHash } = confirmSpec(spec, '2026-11-01T09:00:00.000Z');
	const profile = profileFromSpec({
		name: NAME,
		spec,
		specHash,
		profile: profileOf('dental-exec'),
		samples: await sampleExportColumns(folderSource(FIRST)),
	});
	const folder = mkdtempSync(join(tmpdir(), 'profiles-'));
	return { folder, path: writeProfile(folder, profile) };
}

describe('Mapping profiles', () => {
	test('Finnish headers in another order: without a profile the synonyms place only the email column, by its values', async () => {
		const proposal = await proposeFromExport('dental-exec', folderSource(SECOND), {
			today: TODAY,
		});
		expect(proposal.spec.columnMap).toEqual({ 'patients.csv': { Sähköposti: 'Email' } });
		expect(
			proposal.columns
				.filter((c) => Object.values(FINNISH).includes(c.column))
				.map((c) => [c.column, c.field ?? c.target, c.confidence]),
		).toEqual([
			['Etunimi', 'new person custom field "Etunimi" (varchar)', 0.8],
			['Kaupunki', 'new person custom field "Kaupunki" (enum)', 0.8],
			['Maksamatta', 'new person custom field "Maksamatta" (varchar)', 0.8],
			['Matkapuhelin', 'new person custom field "Matkapuhelin" (varchar)', 0.8],
			['Postinumero', 'new person custom field "Postinumero" (enum)', 0.8],
			['Sukunimi', 'new person custom field "Sukunimi" (varchar)', 0.8],
			['Sukupuoli', 'new person custom field "Sukupuoli" (enum)', 0.8],
			['Syntymäaika', 'new person custom field "Syntymäaika" (varchar)', 0.8],
			['Sähköposti', 'Email', 0.5],
			['Yhteydenottotapa', 'new person custom field "Yhteydenottotapa" (enum)', 0.8],
		]);
		expect(proposal.profiles).toBeUndefined();
	});

	test("with the profile saved from the first export's confirmed spec, the consultant's choices win on the second", async () => {
		const { folder } = await savedProfile();
		const proposal = await proposeFromExport('dental-exec', folderSource(SECOND), {
			today: TODAY,
			profiles: readProfiles(folder),
		});
		expect(proposal.profiles).toEqual([{ file: 'patients.csv', profile: NAME }]);
		expect(proposal.spec.columnMap).toEqual({ 'patients.csv': CONSULTANT });
		expect(proposal.spec.unknownColumns).toEqual([
			{
				entity: 'patient',
				header: 'Yhteydenottotapa',
				target: { object: 'person', custom: 'Preferred contact' },
			},
		]);
		// Options from this export's sampled rows (the profile holds none).
		expect(proposal.spec.schema.customFields.find((f) => f.name === 'Preferred contact')).toEqual(
			PREFERRED_CONTACT_FIELD,
		);
		const fromProfile = proposal.columns.filter((c) => c.proposedBy === 'profile');
		expect(fromProfile.map((c) => [c.column, c.field ?? c.target])).toEqual([
			['Etunimi', 'FirstName'],
			['Kaupunki', 'City'],
			['Maksamatta', 'OutstandingBalance'],
			['Matkapuhelin', 'MobilePhone'],
			['Postinumero', 'Zip'],
			['Sukunimi', 'LastName'],
			['Sukupuoli', 'Gender'],
			['Syntymäaika', 'DOB'],
			['Sähköposti', 'Email'],
			['Yhteydenottotapa', 'new person custom field "Preferred contact" (enum)'],
		]);
		expect(fromProfile[0]).toEqual({
			file: 'patients.csv',
			column: 'Etunimi',
			field: 'FirstName',
			target: 'patient.name → person name',
			confidence: 0.95,
			reason: 'confirmed in mapping profile "Dental-Exec (Finnish)"',
			needsReview: false,
			proposedBy: 'profile',
			profile: NAME,
		});
		expect(proposal.table).toContain(
			'| patients.csv | Syntymäaika | DOB: patient.birthDate → person field "Date of birth" | 95% |  | confirmed in mapping profile "Dental-Exec (Finnish)" |',
		);
		expect(validateSpec(proposal.spec).problems).toEqual([]);

		// The reader reads the second export with it: the sample's first patient, Daniel Martínez.
		expect(await firstPatient(SECOND, proposal.spec.columnMap)).toMatchObject({
			firstName: 'Daniel',
			lastName: 'Martínez',
			birthDate: '1964-04-22',
		});
	});

	test('a profile is plain JSON of headers and targets: no value of the sample export in it', async () => {
		const { path } = await savedProfile();
		const text = readFileSync(path, 'utf8');
		const profile = MappingProfile.parse(JSON.parse(text));
		expect(path.endsWith('dental-exec-finnish.json')).toBe(true);
		expect(profile.files.map((f) => [f.file, Object.keys(f.columns).length])).toEqual([
			['patients.csv', 10],
		]);
		expect(profile.files[0].columns.Yhteydenottotapa).toEqual({
			target: { object: 'person', custom: 'Preferred contact' },
			fieldType: 'enum',
		});
		expect(valuesFoundIn(text, packageVocabulary())).toEqual([]);
	});

	test('a profile of another layout is not applied; a broken profile file is named', async () => {
		const { folder } = await savedProfile();
		const proposal = await proposeFromExport(
			'dental-exec',
			folderSource(join(__dirname, '..', 'fixtures', 'mapping', 'renamed-en')),
			{ today: TODAY, profiles: readProfiles(folder) },
		);
		expect(proposal.profiles).toBeUndefined();
		expect(proposal.columns.some((c) => c.proposedBy === 'profile')).toBe(false);

		writeFileSync(join(folder, 'broken.json'), '{"profileVersion":1,"name":"x"}');
		expect(() => readProfiles(folder)).toThrow(
			`Mapping profile broken.json in ${folder} is not a mapping profile (source: Invalid option: expected one of "dental-exec"|"dentadmin"): save it again with Confirm Mapping (Save as Mapping Profile) or move it out of the folder`,
		);
	});
});
