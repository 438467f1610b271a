import { matchHeaders, normalizeHeader } from '../../../lib/sources/common/headers';
import type { ColumnSpec } from '../../../lib/sources/common/profile';

const columns: ColumnSpec[] = [
	{
		field: 'patientId',
		type: 'text',
		required: true,
		headers: { nl: ['PatiëntNr'], fr: ['NoPatient'] },
	},
	{ field: 'lastName', type: 'text', required: true, headers: { nl: ['Naam'], fr: ['Nom'] } },
	{ field: 'email', type: 'text', headers: { nl: ['Email'], fr: ['Email'] } },
	{ field: 'mobile', type: 'text', headers: { nl: ['GSM'], fr: ['GSM', 'Portable'] } },
];

describe('normalizeHeader', () => {
	it('ignores case, accents, spaces and _ - .', () => {
		expect(
			['PatientID', 'patient_id', 'Patient Id', 'PATIENT-ID', 'Patiënt.Id'].map(normalizeHeader),
		).toEqual(Array(5).fill('patientid'));
	});
});

describe('matchHeaders', () => {
	it('matches Dutch headers written differently and reports the language', () => {
		const match = matchHeaders(['patient nr', 'NAAM', 'E-mail', 'Extra Kolom'], columns, [
			'nl',
			'fr',
		]);
		expect(match.fields).toEqual(['patientId', 'lastName', 'email', undefined]);
		expect(match.language).toBe('nl');
		expect(match.mixedLanguages).toBeUndefined();
		expect(match.extraColumns).toEqual(['Extra Kolom']);
		expect(match.missing).toEqual([{ field: 'mobile', header: 'GSM', required: false }]);
	});

	it('finds a file mixing Dutch and French headers', () => {
		const match = matchHeaders(['NoPatient', 'Naam'], columns, ['nl', 'fr']);
		expect(match.mixedLanguages).toEqual(['nl', 'fr']);
	});

	it('does not count headers shared by both languages as evidence', () => {
		const match = matchHeaders(['Nom', 'NoPatient', 'GSM', 'Email'], columns, ['nl', 'fr']);
		expect(match.language).toBe('fr');
		expect(match.mixedLanguages).toBeUndefined();
	});

	it('names a missing required column by the header of the detected language', () => {
		const match = matchHeaders(['Nom'], columns, ['nl', 'fr']);
		expect(match.missing).toEqual([
			{ field: 'patientId', header: 'NoPatient', required: true },
			{ field: 'email', header: 'Email', required: false },
			{ field: 'mobile', header: 'GSM', required: false },
		]);
	});

	it('lets a user column map name a field by its field name or any of its headers', () => {
		const match = matchHeaders(['Nr', 'Achternaam', 'Cell'], columns, ['nl', 'fr'], {
			Nr: 'patientId',
			Achternaam: 'Naam',
			cell: 'portable',
		});
		expect(match.fields).toEqual(['patientId', 'lastName', 'mobile']);
		expect(match.extraColumns).toEqual([]);
	});

	it('keeps a second column for the same field as an extra column', () => {
		const match = matchHeaders(
			['NoPatient', 'Nom', 'Name'],
			[...columns.slice(0, 1), { ...columns[1], headers: { fr: ['Nom', 'Name'] } }],
			['fr'],
		);
		expect(match.fields).toEqual(['patientId', 'lastName', undefined]);
		expect(match.repeated).toEqual(['Name']);
	});
});
