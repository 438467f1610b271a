import { normalizeHeader } from '../../sources/common/headers';
import type { FileSpec, SourceProfile } from '../../sources/common/profile';
import type { MappingSpec, UnknownColumnEntity } from '../spec';
import { CONCEPTS, conceptOfField } from './concepts';
import type { ColumnProfile } from './sniff';

/**
 * What Propose knows about a source's files and fields, shared by the deterministic proposer,
 * mapping profiles and the language-model advice: which file a name is, what a field's values
 * look like, and where a field lands in Pipedrive.
 */

export const ENTITY_OF_FILE: Partial<Record<string, UnknownColumnEntity>> = {
	patient: 'patient',
	treatmentPlan: 'treatmentPlan',
	practice: 'practice',
	insurer: 'insurer',
};

export function fileSpecOf(profile: SourceProfile, file: string): FileSpec | undefined {
	const name = file.toLowerCase();
	return profile.files.find((spec) =>
		spec.fileNames.some((candidate) => candidate.toLowerCase() === name),
	);
}

/** How well a column's values suit a field: 1 expected kind, 0.5 unknown, 0 contradicting. */
export function valueScore(column: ColumnProfile, kinds: readonly string[]): number {
	if (column.kind === 'empty') return 0.5;
	if (kinds.includes(column.kind)) return column.share >= 0.8 ? 1 : 0.8;
	if (
		kinds.includes('text') &&
		column.kind !== 'date' &&
		column.kind !== 'dateTime' &&
		column.kind !== 'email'
	)
		return 0.6;
	return 0;
}

/** Kinds a field's values have, from its concept or, failing that, its reader column type. */
export function fieldKinds(file: FileSpec, field: string): readonly string[] {
	const concept = conceptOfField(field);
	if (concept) return concept.kinds;
	const type = file.columns.find((c) => c.field === field)?.type;
	const byType: Record<string, string[]> = {
		date: ['date'],
		dateTime: ['dateTime', 'date'],
		money: ['money', 'decimal', 'integer'],
		integer: ['integer'],
		decimal: ['decimal', 'integer', 'percentage'],
		boolean: ['flag'],
		choice: ['pickList', 'text'],
		list: ['code', 'text'],
		text: ['text', 'pickList', 'integer'],
	};
	return byType[type ?? 'text'] ?? ['text'];
}

export function fieldWords(file: FileSpec, field: string): string[] {
	const column = file.columns.find((c) => c.field === field);
	const headers = Object.values(column?.headers ?? {})
		.flat()
		.map(normalizeHeader);
	return [
		...new Set([normalizeHeader(field), ...headers, ...(conceptOfField(field)?.words ?? [])]),
	];
}

/** `LoyaltyTier`, `loyalty_tier`, `LOYALTY TIER` → `Loyalty tier`. */
export function humanise(header: string): string {
	const words = header
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.split(/[\s_.-]+/)
		.filter(Boolean)
		.map((word) => word.toLowerCase());
	const text = words.join(' ');
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Where a reader field's values land, in words, from the spec (the reader field → canonical). */
export function targetOf(spec: MappingSpec, file: FileSpec, field: string): string {
	const canonical = canonicalOfField(file, field);
	if (canonical === undefined) return `${file.entity} ${field}`;
	const target = spec.fields[canonical];
	if (target === undefined) return `${canonical} (no target in the spec)`;
	if ('exclude' in target) return `${canonical}: not migrated (${target.reason})`;
	if ('standard' in target) return `${canonical} → ${target.object} ${target.standard}`;
	return `${canonical} → ${target.object} field "${target.custom}"`;
}

/** The canonical field a patient-file column feeds (others are described by entity and field). */
export function canonicalOfField(file: FileSpec, field: string): string | undefined {
	if (file.entity !== 'patient') return undefined;
	const concept = Object.entries(CONCEPTS).find(([, c]) =>
		c.words.includes(normalizeHeader(field)),
	)?.[0];
	const canonical: Record<string, string> = {
		lastName: 'patient.name',
		firstName: 'patient.name',
		preferredName: 'patient.preferredName',
		birthDate: 'patient.birthDate',
		gender: 'patient.gender',
		email: 'patient.emails',
		homePhone: 'patient.phones',
		mobilePhone: 'patient.phones',
		workPhone: 'patient.phones',
		street: 'patient.address',
		address2: 'patient.address',
		houseNumber: 'patient.address',
		box: 'patient.address',
		city: 'patient.address',
		region: 'patient.address',
		postalCode: 'patient.address',
		country: 'patient.address',
		language: 'patient.language',
		status: 'patient.status',
		firstVisit: 'patient.firstVisitDate',
		lastVisit: 'patient.lastVisitDate',
		referral: 'patient.referralSource',
		referringDentist: 'patient.referringDentist',
		employer: 'patient.employer',
		guarantor: 'patient.guarantor',
		carrier: 'patient.insurance.carrier',
		policyNumber: 'patient.insurance.policyNumber',
		groupNumber: 'patient.insurance.groupNumber',
		subscriberId: 'patient.insurance.subscriberId',
		balance: 'patient.billing.outstandingBalance',
		lastPaymentAmount: 'patient.billing.lastPaymentAmount',
		lastPaymentDate: 'patient.billing.lastPaymentDate',
		allergy: 'patient.medicalAlerts',
		drugInteraction: 'patient.medicalAlerts',
		premedication: 'patient.medicalAlerts',
		createdAt: 'patient.createdAt',
		nationalNumber: 'patient.nationalNumber',
		mutuality: 'patient.insurance.summary',
		affiliationNumber: 'patient.insurance.summary',
		coPaymentPercentage: 'patient.coPayment.percentage',
		thirdPartyPayer: 'patient.coPayment.thirdPartyPayer',
	};
	return concept === undefined ? undefined : canonical[concept];
}

/** The distinct non-empty cells of a pick-list column, sorted: the options of its enum field. */
export function optionsOf(cells: readonly string[]): string[] {
	return [...new Set(cells.map((cell) => cell.trim()).filter((cell) => cell !== ''))].sort();
}
