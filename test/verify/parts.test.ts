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
 * A streamed migration's diff is verified part by part: the parts together must give the report
 * one verification of the whole export gives (an employer's organization and the reference
 * entities verified once, not once per part), keeping only the fields that did not match.
 */
const SAMPLE = join(__dirname, '..', '..', 'samples', 'dental-exec');

it('verified in parts of 7 patients: the same totals, records, read-back and summary as in one', async () => {
	const { references, bundles } = await readExport(dentalExecProfile, folderSource(SAMPLE), {});
	const spec = (await proposeFromExport('dental-exec', folderSource(SAMPLE), { today: TODAY }))
		.spec;
	// Every record migrated (its id is its source key). Persons read back empty, so their fields
	// with nothing expected match and the rest are "missing"; every other record is gone.
	// The run also wrote a deal no rule asks for in the 11th patient's bundle (part 2) and one in a
	// bundle outside the export: exactly the first is unexpected, in one report as in parts.
	const written = (bundleKey: string) => ({
		...{ runId: 'run-1', bundleKey, sourceKey: `${bundleKey}:treatmentPlan:not-in-export` },
		...{ object: 'deal', pipedriveId: '9001', action: 'created' },
	});
	const store = {
		lookup: async (keys: readonly string[]) =>
			new Map(keys.map((key) => [key, { pipedriveId: key }])),
		entryBatches: async function* () {
			yield [written(bundles[10].bundleKey)];
			yield [written('dental-exec:patient:elsewhere')];
		},
	} as unknown as JournalStore;
	const read: RecordReader = async (wanted) => ({
		records: new Map(
			wanted.map((w) => [`${w.object}:${w.pipedriveId}`, w.object === 'person' ? {} : null]),
		),
		requests: wanted.length,
		tokens: wanted.length,
		skipped: 0,
	});
	const input = {
		references,
		spec,
		registry: registryFor(spec),
		users: [],
		apiUserId: 1,
		store,
		read,
		runId: 'run-1',
	};
	const whole = await verifyFromSource({ ...input, bundles });
	const parts = Array.from({ length: Math.ceil(bundles.length / 7) }, (_, i) =>
		bundles.slice(i * 7, i * 7 + 7),
	);
	const inParts = await verifyFromSourceInParts(input, parts);
	expect(parts.length).toBe(29);
	expect(inParts.totals).toEqual(whole.totals);
	expect(inParts.records).toEqual(whole.records);
	expect(inParts.readBack).toEqual(whole.readBack);
	expect(inParts.summary).toEqual(whole.summary);
	expect(whole.totals.match).toBeGreaterThan(0);
	expect(inParts.fields.some((field) => field.status === 'match')).toBe(false);
	// A record several patients share (an employer's organization) is named after its first
	// patient in parts, after its last in one report: the same field, verdict and values.
	const unattributed = (fields: typeof whole.fields) =>
		fields.map(({ bundleKey: _b, origin: _o, source: _s, ...field }) => field);
	expect(unattributed(inParts.fields)).toEqual(
		unattributed(whole.fields.filter((field) => field.status !== 'match')),
	);
	expect(whole.records.unexpected).toBe(1);
	expect(inParts.fields.filter((field) => field.status === 'unexpected')).toEqual([
		expect.objectContaining({
			sourceKey: `${bundles[10].bundleKey}:treatmentPlan:not-in-export`,
			object: 'deal',
			stored: '9001',
		}),
	]);
	expect(inParts.runId).toBe('run-1');
	// The sample's expected records (hand-checked in the demo: 1339 verified from the source).
	expect(whole.records.expected).toBe(1339);
});
