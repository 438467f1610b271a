import { join } from 'node:path';

import { proposeFromExport } from '../../lib/mapping/propose/fromExport';
import type { JournalStore } from '../../lib/ledger/store/journalStore';
import { folderSource, readExport } from '../../lib/sources/common';
import { dentalExecProfile } from '../../lib/sources/dental-exec';
import { verifyFromSource, type RecordReader } from '../../lib/verify/verify';
import { registryFor, TODAY } from '../mapping/helpers';

/**
 * The privacy choices of the spec are verified too: a pseudonymised field must hold a keyed hash,
 * never the value, and a note the spec keeps out (a clinical category) that was written anyway is
 * unexpected. Note 0400003 of patient 001005 is in the category `Clinical` in the sample's
 * notes.csv (read off the file).
 */
const SAMPLE = join(__dirname, '..', '..', 'samples', 'dental-exec');
const SUBSCRIBER = 'patient.insurance.subscriberId';

async function verifyWith(
	stored: (subscriberId: string) => string,
	noteContent: (noteKey: string) => string | null = () => null,
) {
	const { references, bundles } = await readExport(dentalExecProfile, folderSource(SAMPLE), {});
	const spec = (await proposeFromExport('dental-exec', folderSource(SAMPLE), { today: TODAY }))
		.spec;
	const target = spec.fields[SUBSCRIBER];
	if (!('custom' in target)) throw new Error(`${SUBSCRIBER} is not mapped to a custom field`);
	spec.fields[SUBSCRIBER] = { ...target, pseudonymise: 'hmac-sha256' };
	spec.privacy.clinicalNotes = 'exclude';
	const registry = registryFor(spec);
	const subscriberKey = registry.fields.person[target.custom].key;
	const insured = bundles.find((bundle) => bundle.patient.insurance?.subscriberId !== undefined);
	if (!insured) throw new Error('the sample has no patient with a subscriber ID');
	const clinical = bundles.find((bundle) => bundle.patient.sourceId === '001005');
	const note = clinical?.notes.find((candidate) => candidate.sourceId === '0400003');
	if (!clinical || !note) throw new Error('note 0400003 of patient 001005 is not in the sample');
	const store = {
		lookup: async (keys: readonly string[]) =>
			new Map(keys.map((key) => [key, { pipedriveId: key }])),
		// The run wrote the clinical note the spec keeps out.
		entryBatches: async function* () {
			yield [
				{
					runId: 'run-1',
					bundleKey: clinical.bundleKey,
					sourceKey: note.sourceKey,
					object: 'note',
					pipedriveId: '7001',
					action: 'created',
					errorCode: null,
				},
			];
		},
	} as unknown as JournalStore;
	const read: RecordReader = async (wanted) => ({
		records: new Map(
			wanted.map((w) => [
				`${w.object}:${w.pipedriveId}`,
				w.object === 'person' && w.pipedriveId === insured.bundleKey
					? {
							custom_fields: {
								[subscriberKey]: stored(insured.patient.insurance?.subscriberId as string),
							},
						}
					: w.object === 'note' && noteContent(w.pipedriveId) !== null
						? { content: noteContent(w.pipedriveId) }
						: null,
			]),
		),
		requests: wanted.length,
		tokens: wanted.length,
		skipped: 0,
	});
	const report = await verifyFromSource({
		references,
		bundles,
		spec,
		registry,
		users: [],
		apiUserId: 1,
		store,
		read,
		runId: 'run-1',
	});
	const subscriber = report.fields.find(
		(field) => field.sourceKey === insured.bundleKey && field.canonical === SUBSCRIBER,
	);
	return { report, subscriber, noteKey: note.sourceKey };
}

/**
 * Note 0400001 of patient 001002 in the sample's notes.csv: category `Admin`, RTF text
 * "Insurance pre-authorization sent.\par Awaiting response from the carrier." (read off the file).
 */
const ADMIN_NOTE = 'dental-exec:note:0400001';
const ADMIN_TEXT = 'Insurance pre-authorization sent.<br>Awaiting response from the carrier.';
async function noteVerdict(content: string) {
	const { report } = await verifyWith(
		() => 'ab'.repeat(32),
		(key) => (key === ADMIN_NOTE ? content : null),
	);
	return report.fields.find((field) => field.sourceKey === ADMIN_NOTE && field.path === 'content')
		?.status;
}

describe('verification of note bodies', () => {
	it('the text after its own category as a label matches', async () => {
		expect(await noteVerdict(`<p>[Admin]<br>${ADMIN_TEXT}</p>`)).toBe('match');
	});

	it('text added after the note, or a label that is not its own, is a mismatch', async () => {
		expect(await noteVerdict(`<p>[Admin]<br>${ADMIN_TEXT} Balance due.</p>`)).toBe('mismatch');
		expect(await noteVerdict(`<p>[Clinical]<br>${ADMIN_TEXT}</p>`)).toBe('mismatch');
	});
});

describe('verification of the privacy choices', () => {
	it('a pseudonymised field holding the value itself is a mismatch, and the report does not show the value', async () => {
		const { subscriber } = await verifyWith((value) => value);
		expect(subscriber).toMatchObject({
			status: 'mismatch',
			rule: 'pseudonymised',
			expected: 'HMAC-SHA256 of the source value',
			source: [],
		});
	});

	it('a pseudonymised field holding a keyed hash matches', async () => {
		const { subscriber } = await verifyWith(() => 'ab'.repeat(32));
		expect(subscriber).toMatchObject({ status: 'match', rule: 'pseudonymised' });
	});

	it('a clinical note the spec keeps out but the run wrote is unexpected', async () => {
		const { report, noteKey } = await verifyWith(() => 'ab'.repeat(32));
		expect(report.records.unexpected).toBe(1);
		expect(report.fields.filter((field) => field.status === 'unexpected')).toEqual([
			expect.objectContaining({ sourceKey: noteKey, object: 'note', stored: '7001' }),
		]);
	});
});
