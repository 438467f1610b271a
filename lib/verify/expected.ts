import { DateTime } from 'luxon';

import type { Appointment, LabCase, Note, PatientBundle, TreatmentPlan } from '../model/bundle';
import type { Address, Money } from '../model/primitives';
import type { Insurer, Practice, ReferenceEntity } from '../model/reference';
import type { PipedriveObject } from '../plan/plan';
import type { FieldRegistry, RegisteredField } from '../pipedrive/schemaRequirements';
import { SOURCE_KEY_FIELD_NAME } from '../pipedrive/schemaRequirements';
import type { MappingSpec, UnknownColumnEntity, ValueTransform } from '../mapping/spec';
import {
	leadKey,
	namedOrganizationKey,
	prescriptionNoteKey,
} from '../mapping/transform/derivedKeys';
import { dealAggregates, personAggregates, planValue, type Canonical } from './aggregates';
import type { ExpectedOwners } from './owners';

/**
 * What Pipedrive must hold for each source record, derived here from the reader's records and
 * the confirmed spec's declared rules (the mapping brief's rows), independently of the Mapper's
 * Transform: nothing in this file reads a plan. An error in the transform, in the template wiring
 * or in the owner map therefore shows up as a mismatch instead of agreeing with itself.
 *
 * Values are stated in the form Pipedrive answers them (option ids, user ids, `YYYY-MM-DD`), and
 * are compared after lib/ledger/normalise.ts, which only irons out Pipedrive's reshaping.
 */

/** Where an expected value comes from: the record's file and line, and the profile's column(s). */
export interface SourceRef {
	file: string;
	line: number;
	/** Profile field names (the reference layout's headers); the raw text is looked up later. */
	fields: string[];
}

/** What the report shows as expected for a pseudonymised field. */
export const PSEUDONYMISED = 'HMAC-SHA256 of the source value';

export interface ExpectedField {
	canonical: string;
	label: string;
	/** Where the value sits in the record Pipedrive answers (dot path; custom fields by hash). */
	path: string;
	fieldType: string;
	/**
	 * `equal` after normalisation; `contains` (note bodies: Pipedrive sanitises the HTML);
	 * `set-by-pipedrive`: the source has no value and Pipedrive stamps one itself (a won deal
	 * without a completion date gets the write time), so any value passes and the row says so;
	 * `pseudonymised`: a keyed hash (HMAC-SHA256, 64 hex digits) of a source value, never the
	 * value (the key is the practice's, so the hash itself cannot be recomputed here);
	 * `labelled-text` (a source note's body): the text itself, after nothing but the note's own
	 * category and tags as `[label]`s (the brief: labels inside the note text);
	 * `labelled-list` (phones): the same numbers, each under the same label;
	 * `address`: each part (street, number, box, postal code, city, region, country) in its own
	 * Pipedrive address part, and a second address line inside the address text;
	 * `lines` (a text with a line per source record): as many lines as expected, each expected
	 * line's words found together in one of them, in any punctuation or letter case;
	 * `codes`: only codes of the source, and all of them when they fit the field.
	 * `contains` finds its text as whole words: plan "1" is not in "Treatment plan 12".
	 */
	rule:
		| 'equal'
		| 'contains'
		| 'set-by-pipedrive'
		| 'pseudonymised'
		| 'labelled-text'
		| 'labelled-list'
		| 'address'
		| 'lines'
		| 'codes';
	/** For `labelled-text`: the labels the body may start with. */
	labels?: string[];
	expected: unknown;
	/** A reference to another migrated record: its source key, resolved through the journal. */
	expectedRef?: string;
	source: SourceRef | null;
}

export interface ExpectedRecord {
	object: PipedriveObject;
	sourceKey: string;
	bundleKey: string;
	fields: ExpectedField[];
}

export interface ExpectationInput {
	spec: MappingSpec;
	registry: FieldRegistry;
	owners: ExpectedOwners;
}

type SourceColumns = Partial<Record<MappingSpec['source'], string[]>>;

const text = (value: string | undefined): Canonical | undefined =>
	value === undefined || value.trim() === '' ? undefined : { kind: 'text', value: value.trim() };
const date = (value: string | undefined): Canonical | undefined =>
	value === undefined ? undefined : { kind: 'date', value };
const money = (value: Money | undefined): Canonical | undefined =>
	value === undefined ? undefined : { kind: 'money', value };
const address = (value: Address | undefined): Canonical | undefined =>
	value === undefined || Object.values(value).every((part) => !part?.trim())
		? undefined
		: { kind: 'address', value };
const labels = (values: Array<string | undefined>): Canonical | undefined => {
	const kept = values.filter((v): v is string => v !== undefined && v !== '');
	return kept.length === 0 ? undefined : { kind: 'labels', labels: kept };
};

/**
 * Patient attributes that land 1:1 on a person field wherever the spec routes them, with the
 * source columns they are read from (Dental-Exec headers; DentAdmin profile field names).
 */
const PATIENT_ATTRIBUTES: Record<
	string,
	{
		columns: SourceColumns;
		value: (bundle: PatientBundle, spec: MappingSpec) => Canonical | undefined;
	}
> = {
	'patient.name': {
		columns: { 'dental-exec': ['FirstName', 'LastName'], dentadmin: ['firstName', 'lastName'] },
		value: ({ patient }) =>
			text([patient.firstName, patient.lastName].filter((p) => p && p.trim()).join(' ')),
	},
	'patient.emails': {
		columns: { 'dental-exec': ['Email'], dentadmin: ['email'] },
		value: ({ patient }) =>
			patient.emails.length === 0 ? undefined : { kind: 'list', values: patient.emails },
	},
	'patient.phones': {
		columns: {
			'dental-exec': ['HomePhone', 'MobilePhone', 'WorkPhone'],
			dentadmin: ['phone', 'mobile'],
		},
		value: ({ patient }) =>
			patient.phones.length === 0 ? undefined : { kind: 'phones', values: patient.phones },
	},
	'patient.createdAt': {
		columns: { 'dental-exec': ['CreatedAt'], dentadmin: ['createdAt'] },
		value: ({ patient }) =>
			patient.createdAt === undefined ? undefined : { kind: 'dateTime', value: patient.createdAt },
	},
	'patient.address': {
		columns: {
			'dental-exec': ['Address1', 'Address2', 'City', 'State', 'Zip'],
			dentadmin: ['street', 'houseNumber', 'box', 'postalCode', 'city', 'country'],
		},
		value: ({ patient }) => address(patient.address),
	},
	'patient.birthDate': {
		columns: { 'dental-exec': ['DOB'], dentadmin: ['birthDate'] },
		value: ({ patient }) => date(patient.birthDate),
	},
	'patient.gender': {
		columns: { 'dental-exec': ['Gender'], dentadmin: ['gender'] },
		value: ({ patient }) => text(patient.gender),
	},
	'patient.preferredName': {
		columns: { 'dental-exec': ['PreferredName'] },
		value: ({ patient }) => text(patient.preferredName),
	},
	'patient.language': {
		columns: { dentadmin: ['language'] },
		value: ({ patient }) => text(patient.language),
	},
	'patient.status': {
		columns: { 'dental-exec': ['Status'] },
		value: ({ patient }, spec) =>
			patient.status === undefined
				? undefined
				: labels([spec.valueMaps.patientStatuses[patient.status] ?? patient.status]),
	},
	'patient.firstVisitDate': {
		columns: { 'dental-exec': ['FirstVisitDate'] },
		value: ({ patient }) => date(patient.firstVisitDate),
	},
	'patient.lastVisitDate': {
		columns: { 'dental-exec': ['LastVisitDate'] },
		value: ({ patient }) => date(patient.lastVisitDate),
	},
	'patient.referralSource': {
		columns: { 'dental-exec': ['ReferralSource'] },
		value: ({ patient }, spec) =>
			text(patient.referralSource) &&
			labels([
				spec.valueMaps.referralSources[patient.referralSource as string] ?? patient.referralSource,
			]),
	},
	'patient.referringDentist': {
		columns: { 'dental-exec': ['ReferringDentist'] },
		value: ({ patient }) => text(patient.referringDentist),
	},
	'patient.employer': {
		columns: { 'dental-exec': ['Employer'] },
		value: ({ patient }) => text(patient.employer),
	},
	'patient.guarantor': {
		columns: { 'dental-exec': ['GuarantorID'] },
		value: ({ patient }) => text(patient.guarantorKey),
	},
	'patient.nationalNumber': {
		columns: { dentadmin: ['nationalNumber'] },
		value: ({ patient }) => text(patient.nationalNumber),
	},
	'patient.insurance.carrier': {
		columns: { 'dental-exec': ['InsuranceCarrier'], dentadmin: ['mutuality'] },
		value: ({ patient }) => text(patient.insurance?.carrier),
	},
	'patient.insurance.policyNumber': {
		columns: { 'dental-exec': ['PolicyNumber'], dentadmin: ['affiliationNumber'] },
		value: ({ patient }) => text(patient.insurance?.policyNumber),
	},
	'patient.insurance.groupNumber': {
		columns: { 'dental-exec': ['GroupNumber'] },
		value: ({ patient }) => text(patient.insurance?.groupNumber),
	},
	'patient.insurance.subscriberId': {
		columns: { 'dental-exec': ['SubscriberID'] },
		value: ({ patient }) => text(patient.insurance?.subscriberId),
	},
	'patient.billing.outstandingBalance': {
		columns: { 'dental-exec': ['OutstandingBalance'] },
		value: ({ patient }) => money(patient.billing?.outstandingBalance),
	},
	'patient.billing.lastPaymentAmount': {
		columns: { 'dental-exec': ['LastPaymentAmount'] },
		value: ({ patient }) => money(patient.billing?.lastPaymentAmount),
	},
	'patient.billing.lastPaymentDate': {
		columns: { 'dental-exec': ['LastPaymentDate'] },
		value: ({ patient }) => date(patient.billing?.lastPaymentDate),
	},
	'patient.coPayment.percentage': {
		columns: { dentadmin: ['coPaymentPercentage'] },
		value: ({ patient }) =>
			patient.coPayment?.percentage === undefined
				? undefined
				: { kind: 'number', value: patient.coPayment.percentage },
	},
	'patient.coPayment.thirdPartyPayer': {
		columns: { dentadmin: ['thirdPartyPayer'] },
		value: ({ patient }, spec) =>
			patient.coPayment?.thirdPartyPayer === undefined
				? undefined
				: labels([
						patient.coPayment.thirdPartyPayer ? spec.valueMaps.yesNo.yes : spec.valueMaps.yesNo.no,
					]),
	},
	'patient.medicalAlerts': {
		columns: { 'dental-exec': ['AllergyFlag', 'DrugInteractionFlag', 'PremedFlag'] },
		value: ({ patient }, spec) => {
			const alerts = patient.medicalAlerts;
			if (alerts === undefined || spec.privacy.medicalAlerts === 'exclude') return undefined;
			const names = spec.valueMaps.medicalAlerts;
			return labels(
				(['allergy', 'drugInteraction', 'premedication'] as const)
					.filter((flag) => alerts[flag])
					.map((flag) => names[flag]),
			);
		},
	},
};

/** Pipedrive's form of a canonical value in a standard field (persons, organizations). */
const STANDARD_FORM: Record<string, { fieldType: string; form: (value: Canonical) => unknown }> = {
	name: { fieldType: 'text', form: (v) => (v.kind === 'text' ? v.value : undefined) },
	emails: { fieldType: 'list', form: (v) => (v.kind === 'list' ? v.values : undefined) },
	phones: { fieldType: 'phone', form: (v) => (v.kind === 'phones' ? v.values : undefined) },
	add_time: { fieldType: 'datetime', form: (v) => (v.kind === 'dateTime' ? v.value : undefined) },
	address: {
		fieldType: 'address',
		form: (v) => (v.kind === 'address' ? addressParts(v.value) : undefined),
	},
	website: { fieldType: 'text', form: (v) => (v.kind === 'text' ? v.value : undefined) },
};

/**
 * The parts of Pipedrive's address object (api-facts: `route`, `street_number`, `subpremise`,
 * `postal_code`, `locality`, `admin_area_level_1`, `country`) that hold each part of the source
 * address; a second address line has no part of its own and is looked for in the address text.
 */
export function addressParts(value: Address): Record<string, string | undefined> {
	return {
		route: value.street,
		street_number: value.houseNumber,
		subpremise: value.box,
		postal_code: value.postalCode,
		locality: value.city,
		admin_area_level_1: value.region,
		country: value.country,
		line2: value.line2,
	};
}

/**
 * The rule a canonical value is compared by. Phones in Pipedrive's own field keep their kind (a
 * mobile number filed as home is wrong); in a text custom field they are numbers only.
 */
function ruleOf(value: Canonical, standard: boolean): ExpectedField['rule'] {
	if (value.kind === 'address' || value.kind === 'lines' || value.kind === 'codes')
		return value.kind;
	return value.kind === 'phones' && standard ? 'labelled-list' : 'equal';
}

/** The spec's declared change to a text value on its way in (`transform` of a target). */
function transformed(value: Canonical, transform: ValueTransform | undefined): Canonical {
	if (transform === undefined || value.kind !== 'text') return value;
	const apply: Record<ValueTransform, (text: string) => string> = {
		trim: (text) => text.trim(),
		uppercase: (text) => text.toUpperCase(),
		lowercase: (text) => text.toLowerCase(),
		'digits-only': (text) => text.replace(/\D+/g, ''),
	};
	return { kind: 'text', value: apply[transform](value.value) };
}

/** Pipedrive's form of a canonical value in a custom field of the registered type. */
function customForm(value: Canonical, field: RegisteredField, spec: MappingSpec): unknown {
	const optionIds = (names: string[]) => names.map((name) => field.options?.[name] ?? `?${name}`);
	if (value.kind === 'address') return addressParts(value.value);
	if (value.kind === 'lines') return value.lines;
	if (value.kind === 'codes') return value.codes;
	if (value.kind === 'phones') return value.values.map((phone) => phone.value).join(', ');
	switch (field.fieldType) {
		case 'date':
			return value.kind === 'date' || value.kind === 'dateTime'
				? value.value.slice(0, 10)
				: undefined;
		case 'double':
			return value.kind === 'number' ? value.value : undefined;
		case 'monetary':
			return value.kind === 'money'
				? { value: Number(value.value.amount), currency: value.value.currency }
				: value.kind === 'number'
					? { value: value.value, currency: spec.rules.currency }
					: undefined;
		case 'enum':
			if (value.kind === 'labels') return optionIds(value.labels)[0];
			return value.kind === 'text' ? optionIds([value.value])[0] : undefined;
		case 'set':
			return value.kind === 'labels' ? optionIds(value.labels) : undefined;
		default:
			if (value.kind === 'text' || value.kind === 'date' || value.kind === 'dateTime')
				return value.value;
			if (value.kind === 'list') return value.values.join(', ');
			if (value.kind === 'number') return value.value;
			return undefined;
	}
}

class RecordBuilder {
	readonly fields: ExpectedField[] = [];
	constructor(
		readonly record: ExpectedRecord,
		private readonly source: { file: string; line: number } | undefined,
	) {}

	field(
		canonical: string,
		path: string,
		fieldType: string,
		expected: unknown,
		columns: string[] = [],
		rule: ExpectedField['rule'] = 'equal',
		labels?: string[],
	): this {
		this.record.fields.push({
			canonical,
			label: path,
			path,
			fieldType,
			rule,
			expected: expected ?? null,
			source: this.source ? { ...this.source, fields: columns } : null,
			...(labels ? { labels } : {}),
		});
		return this;
	}

	link(canonical: string, path: string, parentKey: string | undefined): this {
		if (parentKey === undefined) return this;
		this.record.fields.push({
			canonical,
			label: path,
			path,
			fieldType: 'reference',
			rule: 'equal',
			expected: null,
			expectedRef: parentKey,
			source: null,
		});
		return this;
	}

	/** A value the spec routes: to a standard person field or a custom field, or nowhere. */
	routed(
		spec: MappingSpec,
		registry: FieldRegistry,
		canonical: string,
		value: Canonical | undefined,
		columns: string[],
	): this {
		const target = spec.fields[canonical];
		return this.routedTo(spec, registry, canonical, target, value, columns);
	}

	/** A value to the target the spec gives it (a field's, or an unknown column's). */
	routedTo(
		spec: MappingSpec,
		registry: FieldRegistry,
		canonical: string,
		target: MappingSpec['fields'][string] | undefined,
		given: Canonical | undefined,
		columns: string[],
	): this {
		if (given === undefined || target === undefined || 'exclude' in target) return this;
		const value = transformed(given, target.transform);
		if ('standard' in target) {
			if (value.kind === 'ref') return this.link(canonical, target.standard, value.key);
			const standard = STANDARD_FORM[target.standard];
			if (standard === undefined) return this;
			return this.field(
				canonical,
				target.standard,
				standard.fieldType,
				standard.form(value),
				columns,
				ruleOf(value, true),
			);
		}
		const object = this.record.object === 'lead' ? 'deal' : target.object;
		const registered = registry.fields[object]?.[target.custom];
		if (registered === undefined) return this;
		if (target.pseudonymise !== undefined) {
			// No source reference: the report must not show the value the hash stands for.
			this.record.fields.push({
				canonical,
				label: target.custom,
				path: `custom_fields.${registered.key}`,
				fieldType: 'text',
				rule: 'pseudonymised',
				expected: PSEUDONYMISED,
				source: null,
			});
			return this;
		}
		if (value.kind === 'ref') {
			this.record.fields.push({
				canonical,
				label: target.custom,
				path: `custom_fields.${registered.key}`,
				fieldType: 'org',
				rule: 'equal',
				expected: null,
				expectedRef: value.key,
				source: null,
			});
			return this;
		}
		this.record.fields.push({
			canonical,
			label: target.custom,
			path: `custom_fields.${registered.key}`,
			fieldType: registered.fieldType,
			rule: ruleOf(value, false),
			expected: customForm(value, registered, spec) ?? null,
			source: this.source ? { ...this.source, fields: columns } : null,
		});
		return this;
	}

	/** Persons, organizations and deals carry their source key in a custom field. */
	sourceKey(registry: FieldRegistry): this {
		// Leads carry deal fields (Pipedrive shares them).
		const { object: own } = this.record;
		const object = own === 'lead' ? 'deal' : own;
		if (object !== 'person' && object !== 'organization' && object !== 'deal') return this;
		const registered = registry.fields[object]?.[SOURCE_KEY_FIELD_NAME];
		if (registered === undefined) return this;
		this.record.fields.push({
			canonical: 'sourceKey',
			label: SOURCE_KEY_FIELD_NAME,
			path: `custom_fields.${registered.key}`,
			fieldType: 'text',
			rule: 'equal',
			expected: this.record.sourceKey,
			source: null,
		});
		return this;
	}

	/** Who may see the record: the spec's visibility group, on every record that has one. */
	visibleTo(spec: MappingSpec): this {
		return this.field('rules.visibleTo', 'visible_to', 'int', spec.rules.visibleTo);
	}

	/** Export columns the profile does not know, where the spec's unknownColumns send them. */
	unknownColumns(
		input: ExpectationInput,
		entity: UnknownColumnEntity,
		extra: Record<string, string> | undefined,
	): this {
		for (const column of input.spec.unknownColumns)
			if (column.entity === entity)
				this.routedTo(
					input.spec,
					input.registry,
					`${entity}.extra.${column.header}`,
					column.target,
					text(extra?.[column.header]),
					[column.header],
				);
		return this;
	}
}

function builder(
	object: PipedriveObject,
	sourceKey: string,
	bundleKey: string,
	origin: { file: string; line: number } | undefined,
): RecordBuilder {
	return new RecordBuilder({ object, sourceKey, bundleKey, fields: [] }, origin);
}

const columnsOf = (columns: SourceColumns, spec: MappingSpec) => columns[spec.source] ?? [];

/** The person of a patient (brief row 1), with every 1:1 attribute the spec routes. */
function personRecord(bundle: PatientBundle, input: ExpectationInput): ExpectedRecord {
	const { spec, registry, owners } = input;
	const person = builder('person', bundle.bundleKey, bundle.bundleKey, bundle.patient.origin)
		.field(
			'patient.primaryProvider',
			'owner_id',
			'user',
			owners.ownerOf(bundle.patient.primaryProviderKey),
			columnsOf({ 'dental-exec': ['PrimaryProviderID'], dentadmin: ['dentist'] }, spec),
		)
		.sourceKey(registry)
		.visibleTo(spec)
		.unknownColumns(input, 'patient', bundle.patient.extra)
		.link('patient.organization', 'org_id', primaryOrganizationKey(bundle));
	for (const [canonical, attribute] of Object.entries(PATIENT_ATTRIBUTES))
		person.routed(
			spec,
			registry,
			canonical,
			attribute.value(bundle, spec),
			columnsOf(attribute.columns, spec),
		);
	for (const [canonical, aggregate] of Object.entries(personAggregates(bundle, spec)))
		person.routed(spec, registry, canonical, aggregate.value, []);
	return person.record;
}

/**
 * Brief Dental-Exec row 1: the person's organization is the employer or the referring dentist
 * the record names, else the patient's practice.
 */
function namedOrganization(bundle: PatientBundle) {
	const { employer, referringDentist } = bundle.patient;
	if (employer?.trim()) return { role: 'employer' as const, name: employer.trim() };
	if (referringDentist?.trim())
		return { role: 'referring-dentist' as const, name: referringDentist.trim() };
	return undefined;
}

function primaryOrganizationKey(bundle: PatientBundle): string | undefined {
	const named = namedOrganization(bundle);
	return named
		? namedOrganizationKey(bundle.sourceSystem, named.role, named.name)
		: bundle.patient.practiceKey;
}

function namedOrganizationRecord(bundle: PatientBundle, input: ExpectationInput): ExpectedRecord[] {
	const named = namedOrganization(bundle);
	if (named === undefined) return [];
	const key = namedOrganizationKey(bundle.sourceSystem, named.role, named.name);
	return [
		organization(key, bundle.bundleKey, bundle.patient.origin, input).field(
			`patient.${named.role === 'employer' ? 'employer' : 'referringDentist'}`,
			'name',
			'text',
			named.name,
			named.role === 'employer' ? ['Employer'] : ['ReferringDentist'],
		).record,
	];
}

/** An organization: owned by the spec's fallback owner (no provider owns it), with its key. */
function organization(
	key: string,
	bundleKey: string,
	origin: { file: string; line: number } | undefined,
	input: ExpectationInput,
): RecordBuilder {
	return builder('organization', key, bundleKey, origin)
		.field('rules.fallbackOwner', 'owner_id', 'user', input.owners.fallbackUserId)
		.visibleTo(input.spec)
		.sourceKey(input.registry);
}

/** The texts a `contains` field must hold, left out where the source has none. */
const words = (texts: Array<string | undefined>): string[] | undefined => {
	const kept = texts.flatMap((t) => (t?.trim() ? [t.trim()] : []));
	return kept.length === 0 ? undefined : kept;
};

const LAB_COLUMNS = {
	provider: { 'dental-exec': ['ProviderID'] },
	due: { 'dental-exec': ['ExpectedReturnDate', 'SubmittedDate'] },
	status: { 'dental-exec': ['Status'] },
	prescription: { 'dental-exec': ['Prescription'] },
	submitted: { 'dental-exec': ['SubmittedDate'] },
	details: {
		'dental-exec': ['Lab', 'CaseType', 'SubmittedDate', 'ExpectedReturnDate', 'ReceivedDate'],
	},
} satisfies Record<string, SourceColumns>;

/**
 * Brief Dental-Exec row 12: an activity per lab case, due when the work is expected back (else
 * when it was sent), done once returned or seated; a prescription over the spec's limit becomes
 * a note of the submission date, written by the case's provider.
 */
function labCaseRecords(
	bundle: PatientBundle,
	labCase: LabCase,
	input: ExpectationInput,
): ExpectedRecord[] {
	const { spec, registry, owners } = input;
	const cols = (name: keyof typeof LAB_COLUMNS) => columnsOf(LAB_COLUMNS[name], spec);
	// Over the spec's limit a prescription is a note of its own, else a line of the activity note.
	const prescription = labCase.prescription?.trim() ?? '';
	const longPrescription = prescription.length > spec.rules.longPrescriptionChars;
	const records = [
		builder('activity', labCase.sourceKey, bundle.bundleKey, labCase.origin)
			.field('labCase.kind', 'subject', 'text', spec.valueMaps.labCase.subject, [], 'contains')
			.field(
				'labCase.kind',
				'type',
				'text',
				registry.activityTypes[spec.valueMaps.labCase.activityType],
			)
			.field(
				'labCase.provider',
				'owner_id',
				'user',
				owners.ownerOf(labCase.providerKey),
				cols('provider'),
			)
			.field(
				'labCase.expectedReturnDate',
				'due_date',
				'date',
				labCase.expectedReturnDate ?? labCase.submittedDate,
				cols('due'),
			)
			.field(
				'labCase.status',
				'done',
				'boolean',
				labCase.status === 'returned' || labCase.status === 'seated',
				cols('status'),
			)
			// The case's details in the activity note: lab, dates, and a prescription short enough.
			.field(
				'labCase.details',
				'note',
				'html',
				words([
					labCase.lab,
					labCase.caseType,
					labCase.submittedDate,
					labCase.expectedReturnDate,
					labCase.receivedDate,
					longPrescription ? undefined : prescription,
				]),
				cols('details'),
				'contains',
			)
			.link('labCase.patient', 'person_id', bundle.bundleKey).record,
	];
	if (longPrescription)
		records.push(
			builder('note', prescriptionNoteKey(labCase.sourceKey), bundle.bundleKey, labCase.origin)
				.field(
					'labCase.prescription',
					'content',
					'html',
					prescription,
					cols('prescription'),
					'contains',
				)
				.field(
					'labCase.submittedDate',
					'add_time',
					'date',
					labCase.submittedDate,
					cols('submitted'),
				)
				.field(
					'labCase.provider',
					'user_id',
					'user',
					owners.authorOf(labCase.providerKey),
					cols('provider'),
				)
				.link('labCase.patient', 'person_id', bundle.bundleKey).record,
		);
	return records;
}

/** Brief row 5 (DentAdmin 4): the appointment's type through the spec's value map, else the fallback. */
function activityKind(spec: MappingSpec, appointment: Appointment) {
	const map = spec.valueMaps.appointmentTypes;
	for (const word of [appointment.type, appointment.typeLabel])
		if (word !== undefined && (map[word] ?? map[word.toLowerCase()]))
			return map[word] ?? map[word.toLowerCase()];
	return spec.valueMaps.appointmentTypeFallback;
}

const APPOINTMENT_COLUMNS = {
	start: { 'dental-exec': ['StartDateTime'], dentadmin: ['start'] },
	type: { 'dental-exec': ['AppointmentType'], dentadmin: ['type'] },
	provider: { 'dental-exec': ['ProviderID'], dentadmin: ['dentist'] },
	duration: { 'dental-exec': ['DurationMinutes'], dentadmin: ['start', 'end'] },
	status: { 'dental-exec': ['Status'], dentadmin: ['status'] },
	notes: { 'dental-exec': ['Notes'], dentadmin: ['note'] },
} satisfies Record<string, SourceColumns>;

function activityRecord(
	bundle: PatientBundle,
	appointment: Appointment,
	input: ExpectationInput,
): ExpectedRecord {
	const { spec, registry, owners } = input;
	const cols = (name: keyof typeof APPOINTMENT_COLUMNS) =>
		columnsOf(APPOINTMENT_COLUMNS[name], spec);
	const kind = activityKind(spec, appointment);
	const start = DateTime.fromISO(appointment.start, { zone: 'utc' });
	const minutes =
		appointment.durationMinutes ??
		(appointment.end === undefined
			? undefined
			: DateTime.fromISO(appointment.end).diff(start, 'minutes').minutes);
	const activity = builder('activity', appointment.sourceKey, bundle.bundleKey, appointment.origin)
		.field('appointment.type', 'subject', 'text', kind.subject, cols('type'))
		.field(
			'appointment.type',
			'type',
			'text',
			registry.activityTypes[kind.activityType],
			cols('type'),
		)
		.field(
			'appointment.provider',
			'owner_id',
			'user',
			owners.ownerOf(appointment.providerKey),
			cols('provider'),
		)
		.field('appointment.start', 'due_date', 'date', start.toISODate(), cols('start'))
		.field('appointment.start', 'due_time', 'time', start.toFormat('HH:mm'), cols('start'))
		.field(
			'appointment.duration',
			'duration',
			'time',
			minutes === undefined || minutes < 0
				? undefined
				: `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(Math.round(minutes % 60)).padStart(2, '0')}`,
			cols('duration'),
		)
		.field(
			'appointment.status',
			'done',
			'boolean',
			appointment.status === 'completed',
			cols('status'),
		)
		// Brief row 5: procedure codes and appointment notes → activity note.
		.field(
			'appointment.notes',
			'note',
			'html',
			words([...appointment.procedureCodes.map((code) => code.code), appointment.notes]),
			cols('notes'),
			'contains',
		)
		.link('appointment.patient', 'person_id', bundle.bundleKey);
	const location = spec.fields['appointment.location'];
	if (location && 'standard' in location && appointment.location?.trim())
		activity.field('appointment.location', 'location', 'address', appointment.location.trim());
	return activity.record;
}

/** The deal's provider: the plan's own, else its first treatment line's (brief DentAdmin row 3). */
const planProvider = (plan: TreatmentPlan) =>
	plan.providerKey ?? plan.procedures.find((p) => p.providerKey)?.providerKey;

const hasProcedures = (plan: TreatmentPlan) =>
	plan.procedures.length > 0 || plan.procedureCodes.length > 0;
const isOutstanding = (plan: TreatmentPlan) =>
	plan.status !== 'completed' && plan.status !== 'declined';

const PLAN_COLUMNS = {
	id: { 'dental-exec': ['PlanID'], dentadmin: ['plan'] },
	status: { 'dental-exec': ['Status'], dentadmin: ['status'] },
	fee: { 'dental-exec': ['EstimatedFee', 'FinalFee'], dentadmin: ['fee'] },
	completed: { 'dental-exec': ['CompletedDate'], dentadmin: ['date'] },
	provider: { 'dental-exec': ['ProviderID'], dentadmin: ['dentist'] },
} satisfies Record<string, SourceColumns>;

function dealRecord(
	bundle: PatientBundle,
	plan: TreatmentPlan,
	input: ExpectationInput,
): ExpectedRecord {
	const { spec, registry, owners } = input;
	const cols = (name: keyof typeof PLAN_COLUMNS) => columnsOf(PLAN_COLUMNS[name], spec);
	const outcome = spec.valueMaps.planStatuses[plan.status];
	const value = planValue(plan);
	const won = outcome.status === 'won' && plan.completedDate ? plan.completedDate : undefined;
	const deal = builder('deal', plan.sourceKey, bundle.bundleKey, plan.origin)
		// The title names the plan, whatever its wording: someone must find the plan by it.
		.field('treatmentPlan.id', 'title', 'text', plan.sourceId, cols('id'), 'contains')
		.field('treatmentPlan.status', 'status', 'text', outcome.status, cols('status'))
		.field(
			'treatmentPlan.status',
			'stage_id',
			'int',
			registry.pipeline.stages[outcome.stage],
			cols('status'),
		)
		.field('treatmentPlan.fee', 'value', 'double', value && Number(value.amount), cols('fee'))
		.field(
			'treatmentPlan.fee',
			'currency',
			'text',
			value?.currency ?? spec.rules.currency,
			cols('fee'),
		)
		.field(
			'treatmentPlan.completedDate',
			'won_time',
			'date',
			won,
			cols('completed'),
			outcome.status === 'won' && won === undefined ? 'set-by-pipedrive' : 'equal',
		)
		// A deal closes when it is won or lost; without a completion date Pipedrive stamps the time.
		.field(
			'treatmentPlan.completedDate',
			'close_time',
			'date',
			won,
			cols('completed'),
			outcome.status !== 'open' && won === undefined ? 'set-by-pipedrive' : 'equal',
		)
		.field('rules.pipeline', 'pipeline_id', 'int', registry.pipeline.id)
		.visibleTo(spec)
		.unknownColumns(input, 'treatmentPlan', plan.extra)
		.field(
			'treatmentPlan.provider',
			'owner_id',
			'user',
			owners.ownerOf(planProvider(plan)),
			cols('provider'),
		)
		.link('treatmentPlan.patient', 'person_id', bundle.bundleKey)
		.sourceKey(registry);
	for (const [canonical, aggregate] of Object.entries(dealAggregates(bundle, plan, spec)))
		deal.routed(spec, registry, canonical, aggregate.value, []);
	return deal.record;
}

/**
 * Brief Dental-Exec row 2: a patient with an outstanding plan and no attended or future
 * appointment within the spec's `leadRecencyMonths` before its `today` gets a lead per
 * outstanding plan; a deceased patient never does.
 */
export function qualifiesForLead(bundle: PatientBundle, spec: MappingSpec): boolean {
	if (bundle.patient.status === 'deceased') return false;
	if (!bundle.treatmentPlans.some(isOutstanding)) return false;
	const cutoff = DateTime.fromISO(spec.rules.today, { zone: 'utc' })
		.minus({ months: spec.rules.leadRecencyMonths })
		.toISODate() as string;
	return bundle.appointments.every(
		(a) => a.status === 'cancelled' || a.status === 'no-show' || a.start.slice(0, 10) < cutoff,
	);
}

function leadRecords(bundle: PatientBundle, input: ExpectationInput): ExpectedRecord[] {
	if (!qualifiesForLead(bundle, input.spec)) return [];
	return bundle.treatmentPlans.filter(isOutstanding).map((plan) => {
		const value = planValue(plan);
		const cols = (name: keyof typeof PLAN_COLUMNS) => columnsOf(PLAN_COLUMNS[name], input.spec);
		return builder('lead', leadKey(plan.sourceKey), bundle.bundleKey, plan.origin)
			.field('treatmentPlan.id', 'title', 'text', plan.sourceId, cols('id'), 'contains')
			.field(
				'treatmentPlan.provider',
				'owner_id',
				'user',
				input.owners.ownerOf(planProvider(plan)),
				cols('provider'),
			)
			.field(
				'treatmentPlan.estimatedFee',
				'value',
				'monetary',
				value && { value: Number(value.amount), currency: value.currency },
				cols('fee'),
			)
			.visibleTo(input.spec)
			.sourceKey(input.registry)
			.link('treatmentPlan.patient', 'person_id', bundle.bundleKey).record;
	});
}

const NOTE_COLUMNS = {
	text: { 'dental-exec': ['Text'], dentadmin: ['text'] },
	createdAt: { 'dental-exec': ['CreatedAt'], dentadmin: ['date'] },
	author: { 'dental-exec': ['AuthorProviderID'], dentadmin: ['author'] },
} satisfies Record<string, SourceColumns>;

function noteRecords(bundle: PatientBundle, input: ExpectationInput): ExpectedRecord[] {
	const { spec, owners } = input;
	const clinical = new Set(spec.privacy.clinicalNoteCategories.map((c) => c.toLowerCase()));
	const migrates = (note: Note) =>
		spec.privacy.clinicalNotes === 'migrate' ||
		note.category === undefined ||
		!clinical.has(note.category.toLowerCase());
	const cols = (name: keyof typeof NOTE_COLUMNS) => columnsOf(NOTE_COLUMNS[name], spec);
	return bundle.notes.filter(migrates).map(
		(note) =>
			builder('note', note.sourceKey, bundle.bundleKey, note.origin)
				.field('note.text', 'content', 'html', note.text, cols('text'), 'labelled-text', [
					...(note.category ? [note.category] : []),
					...note.tags,
				])
				.field('note.createdAt', 'add_time', 'datetime', note.createdAt, cols('createdAt'))
				.field('note.author', 'user_id', 'user', owners.authorOf(note.authorKey), cols('author'))
				.link('note.patient', 'person_id', bundle.bundleKey).record,
	);
}

function fileRecords(bundle: PatientBundle, input: ExpectationInput): ExpectedRecord[] {
	const limit = input.spec.rules.fileSizeLimitBytes;
	return bundle.documents
		.filter((doc) => doc.resolvedPath !== undefined && (doc.sizeBytes ?? 0) <= limit)
		.map(
			(doc) =>
				builder('file', doc.sourceKey, bundle.bundleKey, doc.origin).field(
					'document.fileName',
					'file_name',
					'text',
					doc.fileName,
					columnsOf({ 'dental-exec': ['FileName'], dentadmin: ['fileName'] }, input.spec),
				).record,
		);
}

/** Every Pipedrive record a patient bundle must produce, with its expected fields. */
export function expectedForBundle(
	bundle: PatientBundle,
	input: ExpectationInput,
): ExpectedRecord[] {
	return [
		...namedOrganizationRecord(bundle, input),
		personRecord(bundle, input),
		...leadRecords(bundle, input),
		...bundle.treatmentPlans
			.filter((plan) => hasProcedures(plan) && planValue(plan) !== undefined)
			.map((plan) => dealRecord(bundle, plan, input)),
		...bundle.appointments.map((appointment) => activityRecord(bundle, appointment, input)),
		...bundle.labCases.flatMap((labCase) => labCaseRecords(bundle, labCase, input)),
		...noteRecords(bundle, input),
		...fileRecords(bundle, input),
	];
}

/**
 * Brief Dental-Exec row 3 (a practice: name, address, phone, website) and DentAdmin row 2 (an
 * insurer: name, address, contact details, policy-number prefix, reimbursement tier, and its code
 * and union to be matched by), wherever the spec routes them.
 */
const ORGANIZATION_ATTRIBUTES: {
	practice: Record<string, (practice: Practice) => Canonical | undefined>;
	insurer: Record<string, (insurer: Insurer) => Canonical | undefined>;
} = {
	practice: {
		'practice.address': (p) => address(p.address),
		'practice.phone': (p) => text(p.phone),
		'practice.email': (p) => text(p.email),
		'practice.website': (p) => text(p.website),
	},
	insurer: {
		'insurer.code': (i) => text(i.code),
		'insurer.union': (i) => text(i.union && `${i.union.code} ${i.union.name}`),
		'insurer.address': (i) => address(i.address),
		'insurer.phone': (i) => text(i.phone),
		'insurer.email': (i) => text(i.email),
		'insurer.website': (i) => text(i.website),
		'insurer.policyPrefix': (i) => text(i.policyPrefix),
		'insurer.reimbursementTier': (i) => text(i.reimbursementTier),
	},
};

/** Practices (one organization per location) and insurers (brief DentAdmin row 2). */
export function expectedForReference(
	entity: ReferenceEntity,
	input: ExpectationInput,
): ExpectedRecord[] {
	if (entity.kind !== 'practice' && entity.kind !== 'insurer') return [];
	const record = organization(entity.sourceKey, entity.sourceKey, entity.origin, input)
		.field('practice.name', 'name', 'text', entity.name.trim(), ['name'])
		.unknownColumns(input, entity.kind, entity.extra);
	const values =
		entity.kind === 'practice'
			? Object.entries(ORGANIZATION_ATTRIBUTES.practice).map(([c, of]) => [c, of(entity)] as const)
			: Object.entries(ORGANIZATION_ATTRIBUTES.insurer).map(([c, of]) => [c, of(entity)] as const);
	for (const [canonical, value] of values)
		record.routed(input.spec, input.registry, canonical, value, []);
	return [record.record];
}
