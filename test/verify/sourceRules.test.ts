import { join } from 'node:path';

import { proposeFromExport } from '../../lib/mapping/propose/fromExport';
import type { JournalStore } from '../../lib/ledger/store/journalStore';
import { folderSource, readExport } from '../../lib/sources/common';
import { dentalExecProfile } from '../../lib/sources/dental-exec';
import {
	verifyFromSource,
	verifyFromSourceInParts,
	type RecordReader,
} from '../../lib/verify/verify';
import { registryFor, TODAY } from '../mapping/helpers';

/**
 * The rules for fields that are not one value: an address in its parts, a text with a line per
 * claim, an activity note that must carry the appointment's codes and note, a title that must name
 * its plan as a whole word, and the record's visibility group. Expected values are read off the
 * sample's files by hand:
 * - patients.csv, patient 001001: `424 Hillside Ter`, no second line, `Bloomfield`, `NJ`, `07003`,
 *   `US`;
 * - claims.csv, claims 030001 (11/20/2025, Paid, 245.00, 196.00, D0120;D1110;D0274) and 030002
 *   (10/17/2026, Sent, 245.00, 196.00, the same codes);
 * - appointments.csv, appointment 0100001: codes `D0150`, notes `Pt requests morning appointments`;
 * - treatment_plans.csv: plan 07001 is patient 001001's.
 * The spec's visibility group is 3 (the default spec: visible to the owner's group).
 */
const SAMPLE = join(__dirname, '..', '..', 'samples', 'dental-exec');
const PERSON = 'dental-exec:patient:001001';
const ACTIVITY = 'dental-exec:appointment:0100001';
const DEAL = 'dental-exec:treatmentPlan:07001';

type Entry = { sourceKey: string; action: string; errorCode?: string };

async function verdicts(
	stored: {
		address?: unknown;
		claims?: string;
		visibleTo?: number;
		note?: string;
		title?: string;
	},
	entries: Entry[] = [],
) {
	const { references, bundles } = await readExport(dentalExecProfile, folderSource(SAMPLE), {});
	const spec = (await proposeFromExport('dental-exec', folderSource(SAMPLE), { today: TODAY }))
		.spec;
	const registry = registryFor(spec);
	const customKey = (canonical: string) => {
		const target = spec.fields[canonical];
		if (!('custom' in target)) throw new Error(`${canonical} is not mapped to a custom field`);
		return registry.fields.person[target.custom].key;
	};
	const records: Record<string, Record<string, unknown>> = {
		[`person:${PERSON}`]: {
			visible_to: stored.visibleTo,
			custom_fields: {
				[customKey('patient.address')]: stored.address,
				[customKey('claims.history')]: stored.claims,
			},
		},
		[`activity:${ACTIVITY}`]: { note: stored.note },
		[`deal:${DEAL}`]: { title: stored.title },
	};
	const store = {
		lookup: async (keys: readonly string[]) =>
			new Map(keys.map((key) => [key, { pipedriveId: key }])),
		entryBatches: async function* () {
			yield entries.map((entry, seq) => ({ errorCode: null, ...entry, seq, runId: 'run-1' }));
		},
	} as unknown as JournalStore;
	const read: RecordReader = async (wanted) => ({
		records: new Map(
			wanted.map((w) => {
				const key = `${w.object}:${w.pipedriveId}`;
				return [key, records[key] ?? null];
			}),
		),
		requests: wanted.length,
		tokens: wanted.length,
		skipped: 0,
	});
	const input = { references, spec, registry, users: [], apiUserId: 1, store, read };
	const report = await verifyFromSource({ ...input, bundles });
	const inParts = await verifyFromSourceInParts(input, [bundles.slice(0, 100), bundles.slice(100)]);
	const status = (sourceKey: string, canonical: string) =>
		report.fields
			.filter((field) => field.sourceKey === sourceKey && field.canonical === canonical)
			.map((field) => field.status);
	return {
		address: status(PERSON, 'patient.address'),
		claims: status(PERSON, 'claims.history'),
		visibleTo: status(PERSON, 'rules.visibleTo'),
		note: status(ACTIVITY, 'appointment.notes'),
		title: status(DEAL, 'treatmentPlan.id'),
		records: report.records,
		recordsInParts: inParts.records,
	};
}

const ADDRESS = {
	value: '424 Hillside Ter, 07003 Bloomfield, NJ, US',
	route: '424 Hillside Ter',
	locality: 'Bloomfield',
	admin_area_level_1: 'NJ',
	postal_code: '07003',
	country: 'US',
};
const CLAIMS = [
	'2026-10-17 | Sent | billed 245.00 USD | paid 196.00 USD | D0120 D1110 D0274',
	'2025-11-20 | Paid | billed 245.00 USD | paid 196.00 USD | D0120 D1110 D0274',
].join('\n');
const NOTE = 'Status: Completed<br>Procedure codes: D0150<br><br>Pt requests morning appointments';

describe('fields verified by their parts', () => {
	it('the values as the export holds them match', async () => {
		expect(
			await verdicts({
				address: ADDRESS,
				claims: CLAIMS,
				visibleTo: 3,
				note: NOTE,
				title: 'Treatment plan 07001',
			}),
		).toMatchObject({
			address: ['match'],
			claims: ['match'],
			visibleTo: ['match'],
			note: ['match'],
			title: ['match'],
		});
	});

	it('a wrong part, a missing claim, a note without its text, another plan number or group do not', async () => {
		expect(
			await verdicts({
				// Postal code and city in each other's part: the address text still reads the same.
				address: { ...ADDRESS, locality: '07003', postal_code: 'Bloomfield' },
				claims: CLAIMS.split('\n')[0],
				visibleTo: 1,
				note: 'Status: Completed<br>Procedure codes: D0150',
				// Plan 07001 is not named by plan 107001's title.
				title: 'Treatment plan 107001',
			}),
		).toMatchObject({
			address: ['mismatch'],
			claims: ['mismatch'],
			visibleTo: ['mismatch'],
			note: ['mismatch'],
			title: ['mismatch'],
		});
	});

	it('a claim line with another amount, or the text of two notes run together, does not match', async () => {
		const swapped = CLAIMS.replace(
			'paid 196.00 USD | D0120 D1110 D0274\n',
			'paid 96.00 USD | D0120\n',
		);
		expect(
			await verdicts({
				claims: swapped,
				note: 'Procedure codes: D0150<br>Pt requests morning appointmentsX',
			}),
		).toMatchObject({ claims: ['mismatch'], note: ['mismatch'] });
	});
});

describe('records missing from Pipedrive', () => {
	it('those a delta found deleted by the practice are counted apart, in one report as in parts', async () => {
		// Only the person, the activity and the deal above are in Pipedrive; every other record of
		// the sample is missing. The journal: the person's deal was deleted by the practice (a delta
		// met it deleted), appointment 0100002 too but a later run restored it, 0100003 was only created.
		const deleted = { action: 'unchanged', errorCode: 'deleted-in-pipedrive' };
		const entries: Entry[] = [
			{ sourceKey: 'dental-exec:treatmentPlan:07002', action: 'created' },
			{ sourceKey: 'dental-exec:treatmentPlan:07002', ...deleted },
			{ sourceKey: 'dental-exec:treatmentPlan:07002', action: 'unchanged' },
			{ sourceKey: 'dental-exec:appointment:0100002', ...deleted },
			{ sourceKey: 'dental-exec:appointment:0100002', action: 'restored' },
			{ sourceKey: 'dental-exec:appointment:0100003', action: 'created' },
		];
		const { records, recordsInParts } = await verdicts({ visibleTo: 3 }, entries);
		expect(records.deletedInPipedrive).toBe(1);
		expect(records.missing).toBe(records.expected - 3);
		expect(recordsInParts).toEqual(records);
	});
});
