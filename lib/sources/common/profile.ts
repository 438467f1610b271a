import type {
	Appointment,
	Claim,
	Document,
	EntityName,
	LabCase,
	Note,
	Patient,
	PatientBundle,
	Payment,
	ReferenceEntity,
	SourceSystem,
	Task,
	TreatmentPlan,
} from '../../model';
import type { DateOrder } from './dates';
import type { MoneyStyle } from './money';
import type { ResolvedPath } from './exportSource';

/** How the driver turns a cell into a value before the profile sees it. */
export type ColumnType =
	| 'text'
	| 'date'
	| 'dateTime'
	| 'money'
	| 'integer'
	| 'decimal'
	| 'boolean'
	| 'choice'
	| 'list'
	| 'email'
	| 'phone';

export interface ColumnSpec {
	/** The profile's name for the column; what `row.text(field)` etc. take and what column-map overrides name. */
	field: string;
	/**
	 * Accepted headers per language (`{ en: ['MobilePhone', 'Cell'] }`, `{ nl: ['Naam'], fr: ['Nom'] }`).
	 * Matching ignores case, accents, spaces and `_ - .`. The first header of a language is the one
	 * the report names when the column is missing.
	 */
	headers: Readonly<Record<string, readonly string[]>>;
	type: ColumnType;
	/** A missing required column is a file error; an empty or invalid required value quarantines the row. */
	required?: boolean;
	/**
	 * `choice`: source value (matched like headers) → canonical value. `boolean` may give its own
	 * words here (`{ J: 'true', N: 'false' }`); otherwise Y/N, Yes/No, J/N, O/N, 1/0, true/false apply.
	 */
	values?: Readonly<Record<string, string>>;
	/** `choice` only: values outside `values` are practice-defined and expected, so no warning. */
	openValues?: boolean;
	/**
	 * `list`: the separator inside the cell (default `;`). `email`: with a separator the cell holds
	 * a list of addresses (`row.list`); without, one address (`row.text`).
	 */
	separator?: string;
	/**
	 * `money`/`decimal`: a negative amount is unusual here but can be legitimate; the warning names
	 * what it may be (`'a refund'`), and the amount is kept as written.
	 */
	negativeMayBe?: string;
	/**
	 * `date`/`dateTime`: the date of something that already happened when the export was made (a
	 * payment, a note, performed care, a birth, a record's creation); a later date is a warning.
	 * `when` limits it to rows whose choice column holds one of the canonical values (a treatment's
	 * date only once it is performed: planned care lies in the future).
	 */
	happened?: true | { when: { field: string; values: readonly string[] } };
}

/** A row after the driver parsed every known column; getters return the typed value or undefined. */
export interface SourceRow {
	readonly file: string;
	readonly line: number;
	text(field: string): string | undefined;
	/** `YYYY-MM-DD`. */
	date(field: string): string | undefined;
	/** RFC 3339 in UTC, converted from the read's time zone. */
	dateTime(field: string): string | undefined;
	/** Decimal string like `1234.56`; the profile adds the currency. */
	amount(field: string): string | undefined;
	integer(field: string): number | undefined;
	decimal(field: string): number | undefined;
	boolean(field: string): boolean | undefined;
	/** The canonical value from the column's `values` map (undefined for an unknown value). */
	choice(field: string): string | undefined;
	list(field: string): string[];
	/** Columns the profile does not know, by their original header; empty cells left out. */
	readonly extra: Record<string, string>;
}

/** In a child file's `dateOrder`: the date of birth of the row's patient (from the patients file). */
export const PATIENT_BIRTH_DATE = '@patient.birthDate';

/** What a profile's build function can ask of the driver. */
export interface BuildContext {
	readonly system: SourceSystem;
	/** ISO 4217 currency of the read (profile default or the caller's option). */
	readonly currency: string;
	readonly timeZone: string;
	/** Adds an issue for this row's line; an `error` quarantines the row. Messages never hold values. */
	issue(
		severity: 'error' | 'warning' | 'info',
		column: string | undefined,
		code: string,
		message: string,
	): void;
	/** The header this file uses for a field (for issue `column`s), or the field name when absent. */
	header(field: string): string;
	/** Resolves a path written in the export to a file inside the export folder. */
	resolvePath(relativePath: string): ResolvedPath;
	/** Reference entities accepted so far (reference files are read before patients). */
	readonly references: readonly ReferenceEntity[];
}

/** The collections of a patient bundle a child file can fill. */
export type BundleCollection =
	| 'appointments'
	| 'treatmentPlans'
	| 'claims'
	| 'payments'
	| 'notes'
	| 'tasks'
	| 'labCases'
	| 'documents';

interface FileSpecBase {
	/** Name in the report and in column-map overrides (`patients.csv`). */
	name: string;
	/** File names that count as this file (per language for DentAdmin); matched case-insensitively. */
	fileNames: readonly string[];
	entity: EntityName;
	columns: readonly ColumnSpec[];
	/** Field holding the row's ID: unique per file; a repeat quarantines the later row. */
	idField: string;
	/** Field with the row's own modification time (`modified since` filter); falls back to `createdField`. */
	modifiedField?: string;
	createdField?: string;
	/** The export is unusable without this file (Dental-Exec `patients.csv`). */
	mandatory?: boolean;
	/**
	 * Date or date-time fields of one row that cannot go backwards, each list earliest first (birth,
	 * first visit, last visit). A field dated before the nearest earlier field of its list that has a
	 * value is a warning; both are kept as written. The file's one table of cross-field date rules;
	 * in a child file, PATIENT_BIRTH_DATE stands for its accepted patient's date of birth.
	 */
	dateOrder?: readonly (readonly string[])[];
}

export interface ReferenceFileSpec extends FileSpecBase {
	role: 'reference';
	/** Returns the entity, or null after reporting an error through `ctx.issue`. */
	build(row: SourceRow, ctx: BuildContext): ReferenceEntity | null;
}

export interface PatientFileSpec extends FileSpecBase {
	role: 'patient';
	build(row: SourceRow, ctx: BuildContext): Patient | null;
}

export type ChildRecord =
	| Appointment
	| TreatmentPlan
	| Claim
	| Payment
	| Note
	| Task
	| LabCase
	| Document;

/**
 * A child file whose records are parts of one record per source ID, merged per patient by the
 * profile's `assemble` (DentAdmin's treatments of one plan number make one plan, one Deal). A
 * source ID that rows of more than one patient use would merge two patients' parts downstream
 * (one Deal for both, one plan lost): the rows of that ID are quarantined for every patient, with
 * one error finding on the ID's first row (sharedKeys.ts). Keys of unshared IDs are unchanged.
 */
export interface PatientOwnedKey {
	/** The field the source ID comes from: the finding names its column. */
	field: string;
	code: string;
	/** The finding's message: how many patients use the ID, and its rows as named (`lines 2 and 5`). */
	message(patients: number, rows: string): string;
	/** What a page's `page-scoped-checks` notice lists as checked among its patients only. */
	pageScoped: string;
}

export interface ChildFileSpec extends FileSpecBase {
	role: 'child';
	/** Field holding the patient ID this row belongs to. */
	patientField: string;
	/** Where the default assembly puts the records (a profile with its own `assemble` may ignore it). */
	collection: BundleCollection;
	/** The records' source IDs each belong to one patient (see PatientOwnedKey). */
	ownedKey?: PatientOwnedKey;
	/** One row may give several records (a recurring appointment expands into occurrences). */
	build(row: SourceRow, ctx: BuildContext): ChildRecord | ChildRecord[] | null;
}

export type FileSpec = ReferenceFileSpec | PatientFileSpec | ChildFileSpec;

export interface SourceProfile {
	system: SourceSystem;
	/** Languages of the header sets, in order of preference (`['en']`, `['nl', 'fr']`). */
	languages: readonly string[];
	/** A file whose headers come from two languages is an error (DentAdmin). */
	forbidMixedLanguages?: boolean;
	/** Order used for slashed dates when no row of a file settles it (`01/02/2024`). */
	defaultDateOrder: DateOrder;
	moneyStyle: MoneyStyle;
	defaultCurrency: string;
	defaultTimeZone: string;
	files: readonly FileSpec[];
	/**
	 * Builds the bundle from the patient and their child records keyed by file name. The default
	 * (`assembleBundle` in bundles.ts) puts each file's records into its `collection`.
	 */
	assemble?(patient: Patient, children: ReadonlyMap<string, ChildRecord[]>): PatientBundle;
}
