import { providersFromReaderItems } from '../../lib/pipedrive/users';
import { referencedProviderKeys, requireReaderRecords } from '../../lib/pipedrive/readerRecords';

const provider = {
	kind: 'provider',
	sourceSystem: 'dental-exec',
	sourceId: '7',
	sourceKey: 'dental-exec:provider:7',
	lastName: 'Lee',
	email: 'lee@smile.example',
	active: true,
	extra: {},
};
/** The reader's second output: a validation report, shaped as lib/model/validationReport.ts says. */
const validationReport = {
	source: 'dental-exec',
	exportPath: '/exports/x',
	totals: {
		files: 12,
		rowsRead: 10,
		rowsAccepted: 10,
		rowsQuarantined: 0,
		patients: 1,
		possibleDuplicates: 0,
	},
	files: [],
	issues: [],
	possibleDuplicates: [],
};
const bundleNamingProviders = {
	kind: 'patientBundle',
	bundleKey: 'dental-exec:patient:1',
	patient: { primaryProviderKey: 'dental-exec:provider:7' },
	appointments: [
		{ providerKey: 'dental-exec:provider:8' },
		{ providerKey: 'dental-exec:provider:7' },
	],
	treatmentPlans: [{ procedures: [{ providerKey: 'dental-exec:provider:9' }] }],
	notes: [{ authorKey: 'dental-exec:provider:10' }],
	tasks: [{ assignedProviderKey: 'dental-exec:provider:11' }],
	labCases: [{ providerKey: 'dental-exec:provider:12' }],
};
const FIX =
	"set Reader Items to the reader's first output (Records), e.g. {{ $('<reader node name>').all(0).map(item => item.json) }}";
const NO_INDEX =
	'Without the output index (.all() instead of .all(0)) n8n takes the output on the path to this node, which may be the validation report.';

describe("the reader's records as Match Users and Preflight take them", () => {
	it('takes the provider records and ignores the other kinds', () => {
		const providers = providersFromReaderItems([
			{ kind: 'practice' },
			provider,
			bundleNamingProviders,
		]);
		expect(providers.map((p) => p.sourceKey)).toEqual(['dental-exec:provider:7']);
	});

	it('refuses the validation report (the trap of issue 12) and says how to fix the expression', () => {
		expect(() => providersFromReaderItems([validationReport])).toThrow(
			`Reader Items holds the reader's validation report (its second output), not its records, so Match Users would see no records: ${FIX}. ${NO_INDEX}`,
		);
		expect(() => requireReaderRecords([validationReport], 'Preflight')).toThrow(
			`Reader Items holds the reader's validation report (its second output), not its records, so Preflight would see no records: ${FIX}. ${NO_INDEX}`,
		);
	});

	it('refuses no items, and items that are not reader records, naming their kinds', () => {
		expect(() => providersFromReaderItems([])).toThrow(
			`Reader Items holds no items, so Match Users would see no records: ${FIX}. ${NO_INDEX}`,
		);
		expect(() => requireReaderRecords([{ ownerMap: {} }, { kind: 'plan' }], 'Preflight')).toThrow(
			`Reader Items holds 2 item(s) (without a kind, of kind "plan") and none is a reader record (practice, provider, insurer, referralSource or patientBundle), so Preflight would see no records: ${FIX}. ${NO_INDEX}`,
		);
	});

	it('refuses patient bundles that name providers when no provider record came with them', () => {
		expect(() =>
			providersFromReaderItems([
				{ kind: 'practice' },
				bundleNamingProviders,
				bundleNamingProviders,
			]),
		).toThrow(
			"Reader Items holds 2 patient bundle(s) whose records name 6 provider(s), but no provider record: every record would get the fallback owner. Set Reader Items to the reader's first output (Records), e.g. {{ $('<reader node name>').all(0).map(item => item.json) }} (the whole read, not a sample or a delta read); if the export lacks its provider file, add it and read again.",
		);
		// Bundles that name no provider need none: an export without a provider file is fine.
		expect(
			providersFromReaderItems([{ kind: 'practice' }, { kind: 'patientBundle', patient: {} }]),
		).toEqual([]);
	});

	it('collects every provider a bundle names: owner, appointments, procedures, note authors, tasks, lab cases', () => {
		expect([...referencedProviderKeys(bundleNamingProviders)].sort()).toEqual([
			'dental-exec:provider:10',
			'dental-exec:provider:11',
			'dental-exec:provider:12',
			'dental-exec:provider:7',
			'dental-exec:provider:8',
			'dental-exec:provider:9',
		]);
	});
});
