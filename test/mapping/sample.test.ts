import { join } from 'node:path';
import { selectSample } from '../../lib/mapping/sample';
import type { PatientBundle } from '../../lib/model';
import { folderSource, sourceReaders } from '../../lib/sources';
import { TODAY, appointmentRecord, bundle, patient, record } from './helpers';

const statuses = ['active', 'inactive', 'archived', 'deceased'] as const;
const types = ['hygiene', 'restorative', 'surgical'];

/** 40 patients: statuses in turn, a few with plans, notes, documents, lab cases; one non-ASCII name. */
function exportOf40(): PatientBundle[] {
	return Array.from({ length: 40 }, (_, n) => {
		const id = String(1000 + n);
		return bundle({
			sourceSystem: 'dental-exec',
			bundleKey: `dental-exec:patient:${id}`,
			patient: patient('dental-exec', id, {
				status: statuses[n % 4],
				lastName: n === 33 ? 'Ødegård' : `Patient${n}`,
				createdAt: `20${String(10 + (n % 9)).padStart(2, '0')}-01-0${1 + (n % 9)}T00:00:00Z`,
			}),
			appointments: Array.from({ length: n % 3 }, (_, a) =>
				appointmentRecord('dental-exec', `${id}-${a}`, id, {
					type: types[(n + a) % 3],
					start: '2026-01-10T09:00:00Z',
				}),
			),
			treatmentPlans:
				n % 5 === 0
					? [
							{
								...record('dental-exec', 'treatmentPlan', id, id),
								status: n % 10 === 0 ? 'proposed' : 'declined',
							},
						]
					: [],
			notes:
				n === 7 ? [{ ...record('dental-exec', 'note', id, id), text: 'x', format: 'plain' }] : [],
			documents:
				n === 11 ? [{ ...record('dental-exec', 'document', id, id), fileName: 'a.pdf' }] : [],
			labCases: n === 12 || n === 13 ? [{ ...record('dental-exec', 'labCase', id, id) }] : [],
			claims:
				n === 39
					? Array.from({ length: 9 }, (_, c) => ({
							...record('dental-exec', 'claim', `${id}-${c}`, id),
						}))
					: [],
		});
	});
}

describe('Select sample', () => {
	const leadRule = { today: TODAY, leadRecencyMonths: 12 };
	const report = {
		source: 'dental-exec',
		exportPath: 'x',
		totals: {
			files: 1,
			rowsRead: 40,
			rowsAccepted: 40,
			rowsQuarantined: 0,
			patients: 40,
			possibleDuplicates: 1,
		},
		files: [],
		issues: [],
		possibleDuplicates: [
			{
				sourceKeys: ['dental-exec:patient:1021', 'dental-exec:patient:1022'],
				reason: 'same name and date of birth',
			},
		],
	};

	test('covers every category present, the awkward ones, and is deterministic for a seed', () => {
		const bundles = exportOf40();
		const selection = selectSample(bundles, 'dental-exec', {
			size: 12,
			seed: 's1',
			report,
			leadRule,
		});
		expect(selection.picks).toHaveLength(12);
		expect(Object.entries(selection.coverage).filter(([, c]) => c.inSample === 0)).toEqual([]);
		expect(Object.keys(selection.coverage)).toEqual([
			'appointment type: hygiene',
			'appointment type: restorative',
			'appointment type: surgical',
			'has claims',
			'has documents',
			'has lab cases',
			'has notes',
			'patient status: active',
			'patient status: archived',
			'patient status: deceased',
			'patient status: inactive',
			'person only',
			'person with lead',
			'plan status: declined',
			'plan status: proposed',
		]);
		const reasons = Object.fromEntries(selection.picks.map((p) => [p.bundleKey, p.reasons]));
		expect(reasons['dental-exec:patient:1000']).toContain('oldest');
		expect(reasons['dental-exec:patient:1039']).toEqual(['largest']);
		expect(reasons['dental-exec:patient:1021']).toEqual(['possible duplicate']);
		expect(reasons['dental-exec:patient:1022']).toEqual(['possible duplicate']);
		expect(reasons['dental-exec:patient:1033']).toContain('non-ASCII name');
		expect(reasons['dental-exec:patient:1011']).toEqual(['has documents']);
		expect(reasons['dental-exec:patient:1007']).toEqual(['has notes']);

		expect(
			selectSample([...bundles].reverse(), 'dental-exec', {
				size: 12,
				seed: 's1',
				report,
				leadRule,
			}),
		).toEqual(selection);
		const other = selectSample(bundles, 'dental-exec', { size: 12, seed: 's2', report, leadRule });
		expect(other.picks.map((p) => p.bundleKey)).not.toEqual(
			selection.picks.map((p) => p.bundleKey),
		);
		expect(Object.values(other.coverage).every((c) => c.inSample > 0)).toBe(true);
	});

	test('defaults: 200 for Dental-Exec, 50 for DentAdmin; never more than the export holds', () => {
		expect(selectSample(exportOf40(), 'dental-exec').picks).toHaveLength(40);
		expect(selectSample(exportOf40(), 'dental-exec').size).toBe(200);
	});

	test('the bundled DentAdmin sample gives 50 bundles covering every category', async () => {
		const read = await sourceReaders.dentadmin(
			folderSource(join(__dirname, '..', '..', 'samples', 'dentadmin', 'nl')),
		);
		const selection = selectSample(read.bundles, 'dentadmin', { report: read.report, leadRule });
		expect(selection.size).toBe(50);
		expect(selection.picks).toHaveLength(Math.min(50, read.bundles.length));
		expect(Object.entries(selection.coverage).filter(([, c]) => c.inSample === 0)).toEqual([]);
	});
});
