import type { SourceSystem } from '../model';
import { sourceDefinition } from '../registry/sources';
import { compareText } from './order';
import { createHash } from 'node:crypto';
import type { PatientBundle, ValidationReport } from '../model';
import type { Rules } from './spec';
import { getsLeads } from './transform/leads';

export interface SampleOptions {
	/** How many bundles (default: 200 for Dental-Exec, 50 for DentAdmin). */
	size?: number;
	/** Same seed, same export → same sample. */
	seed?: string;
	/** The reader's report: its possible duplicates are sampled on purpose. */
	report?: ValidationReport;
	/** The lead rule of the spec, so the sample holds persons with and without leads. */
	leadRule?: Pick<Rules, 'today' | 'leadRecencyMonths'>;
}

export interface SamplePick {
	bundleKey: string;
	/** Why it was chosen: the categories it was first to cover, or `fill`. */
	reasons: string[];
}

export interface SampleSelection {
	size: number;
	seed: string;
	picks: SamplePick[];
	/** Every category present in the export with how many bundles have it and how many were sampled. */
	coverage: Record<string, { inExport: number; inSample: number }>;
}

/** Categories a bundle belongs to; the sample holds at least one bundle of each present. */
export function categoriesOf(
	bundle: PatientBundle,
	leadRule?: SampleOptions['leadRule'],
): string[] {
	const categories = new Set<string>([`patient status: ${bundle.patient.status ?? 'none'}`]);
	if (leadRule) categories.add(getsLeads(bundle, leadRule) ? 'person with lead' : 'person only');
	for (const plan of bundle.treatmentPlans) categories.add(`plan status: ${plan.status}`);
	for (const appointment of bundle.appointments)
		categories.add(
			`appointment type: ${(appointment.type ?? appointment.typeLabel ?? 'none').toLowerCase()}`,
		);
	if (bundle.notes.length > 0) categories.add('has notes');
	if (bundle.documents.length > 0) categories.add('has documents');
	if (bundle.labCases.length > 0) categories.add('has lab cases');
	if (bundle.claims.length > 0) categories.add('has claims');
	if (bundle.tasks.length > 0) categories.add('has tasks');
	return [...categories].sort();
}

const recordCount = (b: PatientBundle) =>
	b.appointments.length +
	b.treatmentPlans.length +
	b.claims.length +
	b.payments.length +
	b.notes.length +
	b.tasks.length +
	b.labCases.length +
	b.documents.length;

/** The date a patient's history starts, for "oldest". */
const since = (b: PatientBundle) =>
	b.patient.createdAt?.slice(0, 10) ?? b.patient.firstVisitDate ?? '9999-12-31';

const nonAscii = (b: PatientBundle) =>
	/[^\x20-\x7e]/.test(
		`${b.patient.firstName ?? ''}${b.patient.lastName}${b.patient.preferredName ?? ''}`,
	);

/**
 * A stratified, deterministic slice of bundles for the sample migration: first the awkward ones
 * (oldest, largest, possible duplicates, non-ASCII names), then one bundle per category still
 * missing (patient status, person vs lead, plan status, appointment type, notes, documents, lab
 * cases), then round-robin over patient statuses until the size is reached. Order inside each
 * step is a seeded hash of the bundle key, so the same export and seed give the same sample.
 */
export function selectSample(
	bundles: readonly PatientBundle[],
	source: SourceSystem,
	options: SampleOptions = {},
): SampleSelection {
	const size = options.size ?? sourceDefinition(source).sampleSize;
	const seed = options.seed ?? 'sample';
	const rank = (b: PatientBundle) =>
		createHash('sha256').update(`${seed}\u0000${b.bundleKey}`).digest('hex');
	const ordered = [...bundles].sort((a, b) => compareText(rank(a), rank(b)));
	const picks = new Map<string, SamplePick>();
	const pick = (bundle: PatientBundle | undefined, reason: string) => {
		if (bundle === undefined) return;
		const existing = picks.get(bundle.bundleKey);
		if (existing) {
			if (!existing.reasons.includes(reason)) existing.reasons.push(reason);
			return;
		}
		if (picks.size >= size) return;
		picks.set(bundle.bundleKey, { bundleKey: bundle.bundleKey, reasons: [reason] });
	};

	// The awkward ones, which break migrations more often than the typical patient.
	const byKey = (a: PatientBundle, b: PatientBundle) => compareText(a.bundleKey, b.bundleKey);
	pick([...bundles].sort((a, b) => compareText(since(a), since(b)) || byKey(a, b))[0], 'oldest');
	pick([...bundles].sort((a, b) => recordCount(b) - recordCount(a) || byKey(a, b))[0], 'largest');
	const present = new Map(bundles.map((b) => [b.bundleKey, b]));
	for (const group of options.report?.possibleDuplicates ?? [])
		for (const key of group.sourceKeys.slice(0, 2)) pick(present.get(key), 'possible duplicate');
	for (const bundle of ordered.filter(nonAscii).slice(0, Math.max(1, Math.ceil(size / 20))))
		pick(bundle, 'non-ASCII name');

	// One bundle for every category present.
	const categories = new Map<string, string[]>(
		ordered.map((b) => [b.bundleKey, categoriesOf(b, options.leadRule)]),
	);
	const all = [...new Set([...categories.values()].flat())].sort();
	for (const category of all) {
		if ([...picks.keys()].some((key) => categories.get(key)?.includes(category))) continue;
		pick(
			ordered.find((b) => categories.get(b.bundleKey)?.includes(category)),
			category,
		);
	}

	// The rest: round-robin over patient statuses, so no status crowds out the others.
	const strata = new Map<string, PatientBundle[]>();
	for (const bundle of ordered) {
		const status = bundle.patient.status ?? 'none';
		strata.set(status, [...(strata.get(status) ?? []), bundle]);
	}
	const queues = [...strata.keys()].sort().map((status) => strata.get(status) as PatientBundle[]);
	while (picks.size < Math.min(size, bundles.length)) {
		for (const queue of queues) {
			const next = queue.find((b) => !picks.has(b.bundleKey));
			if (next) pick(next, 'fill');
		}
	}

	const coverage: SampleSelection['coverage'] = {};
	for (const category of all)
		coverage[category] = {
			inExport: [...categories.values()].filter((c) => c.includes(category)).length,
			inSample: [...picks.keys()].filter((key) => categories.get(key)?.includes(category)).length,
		};
	return { size, seed, picks: [...picks.values()], coverage };
}
