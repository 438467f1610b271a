import type { ZodType } from 'zod';
import {
	type FileReport,
	Appointment,
	Claim,
	Document,
	LabCase,
	Note,
	Patient,
	Payment,
	Practice,
	Procedure,
	Provider,
	Insurer,
	ReferralSource,
	Task,
	TreatmentPlan,
	type EntityName,
	type PatientBundle,
	type ReferenceEntity,
	type ValidationReport,
} from '../../model';
import { assembleBundle } from './bundles';
import { DateTime } from 'luxon';
import { isKnownTimeZone, latestInstant } from './dates';
import { DuplicatePatientFinder } from './duplicates';
import { IdIndex } from './idIndex';
import { PatientIndex } from './patientIndex';
import type { ExportSource } from './exportSource';
import { describeFileError } from './fileErrors';
import { ProfileFileReader, UnreadableFileError, type ExportDate } from './fileReader';
import type { BuildContext, ChildRecord, FileSpec, SourceProfile } from './profile';
import { ReportBuilder } from './report';
import { NOT_VOUCHED, parsedCopy, passesSchema } from './schemaCheck';
import type { ParsedRow } from './sourceRow';
import { SharedKeyFinder } from './sharedKeys';
import { linesNamed, type RowNames } from './rowNames';
import { SpoolWriter, type SpoolOptions, type SpoolResult } from './spool';

export interface ReadOptions {
	/** Entities to read (default: all). Asking for any patient child also reads patients. */
	entities?: readonly EntityName[];
	/**
	 * A page of accepted patients in patients-file order. Reference entities come with the first
	 * page only (offset 0), so a loop over pages emits them once.
	 */
	page?: { offset: number; limit: number };
	/**
	 * Streamed read (spool.ts): the export is read once and its bundles go to pages on disk
	 * instead of `bundles`; every check and the report cover the whole export, as without a page.
	 * `finishPage` lets a source add what it knows only after the whole read (DentAdmin's insurer
	 * names) to each page's bundles.
	 */
	spool?: SpoolOptions & {
		finishPage?: (bundles: PatientBundle[], references: ReferenceEntity[]) => PatientBundle[];
	};
	/** RFC 3339: keep bundles whose patient or any child was modified (or created) after it. */
	modifiedSince?: string;
	/** IANA zone of the practice's local times (default: the profile's). */
	timeZone?: string;
	/** ISO 4217 currency of amounts without one (default: the profile's). */
	currency?: string;
	/** `{ 'patients.csv': { Cell: 'MobilePhone' } }`: source header → field name or any header of it. */
	columnMap?: Readonly<Record<string, Readonly<Record<string, string>>>>;
	/** Default true: an unreadable or missing mandatory file throws ExportReadError; false: reported. */
	failOnUnreadableFile?: boolean;
	/** How a finding that lists several rows names them (rowNames.ts; lines by default). */
	rowNames?: RowNames;
	/**
	 * `YYYY-MM-DD`: the day the export was made. Neither layout records it, so it defaults to the
	 * run date in the read's time zone; payments, notes and performed care dated later are warnings.
	 */
	exportDate?: string;
}

export interface ReadResult {
	references: ReferenceEntity[];
	bundles: PatientBundle[];
	report: ValidationReport;
	/** `patients` is the number of accepted patients in the whole export, for loops over pages. */
	page: { offset: number; limit: number | null; patients: number };
	/** With the `spool` option: where the pages of bundles are (`bundles` is then empty). */
	spool?: SpoolResult;
}

/** The delta watermark as milliseconds; one that is not a date-time cannot be read at all. */
export function parseModifiedSince(value: string): number {
	const since = Date.parse(value);
	if (Number.isNaN(since)) {
		throw new ExportReadError(
			'"Modified since" is not a date-time; use ISO 8601 like 2026-10-01T00:00:00Z.',
		);
	}
	return since;
}

/** The export cannot be read at all; `file` names the file, the message says why and how to fix it. */
export class ExportReadError extends Error {
	constructor(
		message: string,
		readonly file?: string,
	) {
		super(message);
		this.name = 'ExportReadError';
	}
}

const SCHEMAS: Record<EntityName, ZodType> = {
	practice: Practice,
	provider: Provider,
	insurer: Insurer,
	referralSource: ReferralSource,
	patient: Patient,
	appointment: Appointment,
	treatmentPlan: TreatmentPlan,
	procedure: Procedure,
	claim: Claim,
	payment: Payment,
	note: Note,
	task: Task,
	labCase: LabCase,
	document: Document,
};

interface Timestamps {
	modifiedAt?: string;
	createdAt?: string;
}

/** When a record last changed: its modified time, else its created time. */
function stampOf(record: Timestamps): string | undefined {
	return record.modifiedAt ?? record.createdAt;
}

/** Per-read state shared by the file loops. */
class ExportRead {
	readonly report: ReportBuilder;
	readonly references: ReferenceEntity[] = [];
	/**
	 * Every patient ID of the patients file (all pages), with its accepted index and date of birth
	 * (patientIndex.ts). One entry per patient: paging needs it to count accepted patients, so the
	 * orphan check stays whole-export at no extra cost.
	 */
	readonly patients = new PatientIndex();
	/** The page's patients in file order, and their children by file. */
	readonly pagePatients = new Map<
		string,
		{ patient: Patient; children: Map<string, ChildRecord[]> }
	>();
	/** Whole export without a page; with a page, the page's patients only (memory stays bounded). */
	readonly duplicates = new DuplicatePatientFinder();
	/**
	 * Source IDs of child files that must belong to one patient (ChildFileSpec.ownedKey); scoped
	 * like the duplicate child IDs: the whole export without a page, the page's patients with one.
	 */
	readonly ownedKeys: SharedKeyFinder[] = [];
	get acceptedPatients(): number {
		return this.patients.acceptedCount;
	}
	/** With the `spool` option, accepted patients and their children go to it, not pagePatients. */
	readonly sink: SpoolWriter | undefined;
	/** A page was asked for: per-row whole-export checks are scoped to the page's patients. */
	readonly paged: boolean;
	private readonly since: number | undefined;
	readonly timeZone: string;
	readonly currency: string;
	readonly exportDate: ExportDate;

	constructor(
		readonly profile: SourceProfile,
		readonly source: ExportSource,
		readonly options: ReadOptions,
	) {
		this.report = new ReportBuilder(profile.system, source.location);
		this.paged = options.page !== undefined;
		this.timeZone = options.timeZone ?? profile.defaultTimeZone;
		this.currency = options.currency ?? profile.defaultCurrency;
		if (!isKnownTimeZone(this.timeZone)) {
			throw new ExportReadError(
				`The time zone "${this.timeZone}" is not an IANA zone name; use a name like America/New_York or Europe/Brussels.`,
			);
		}
		if (!/^[A-Z]{3}$/.test(this.currency)) {
			throw new ExportReadError(
				`The currency "${this.currency}" is not an ISO 4217 code; use three capital letters like USD or EUR.`,
			);
		}
		this.exportDate = exportDateOf(options.exportDate, this.timeZone);
		if (options.modifiedSince !== undefined) this.since = parseModifiedSince(options.modifiedSince);
		const page = options.page;
		if (page && options.spool)
			throw new ExportReadError('A read is either one page or a spool of every page, not both.');
		this.sink = options.spool && new SpoolWriter(options.spool);
		if (
			page &&
			(!Number.isInteger(page.offset) ||
				page.offset < 0 ||
				!Number.isInteger(page.limit) ||
				page.limit < 1)
		) {
			throw new ExportReadError(
				'The page needs a whole-number offset of 0 or more and a limit of 1 or more.',
			);
		}
	}

	inPage(index: number): boolean {
		const page = this.options.page;
		return !page || (index >= page.offset && index < page.offset + page.limit);
	}

	changed(record: Timestamps): boolean {
		if (this.since === undefined) return true;
		const stamp = stampOf(record);
		// At the watermark too: it is the export's newest time, and an edit later in the same
		// minute (exports stamp to the minute) may not be in that export. Re-reading one patient
		// whose plans are unchanged costs no request. A stamp in the repeated hour of a fall-back
		// is compared by its second occurrence, so an edit made then is not taken for one before
		// the watermark (dates.ts, latestInstant).
		return stamp !== undefined && latestInstant(stamp, this.timeZone) >= this.since;
	}

	get filtersByTime(): boolean {
		return this.since !== undefined;
	}
}

function exportDateOf(option: string | undefined, timeZone: string): ExportDate {
	const given = option?.trim() || undefined;
	const day =
		given === undefined
			? DateTime.now().setZone(timeZone).startOf('day')
			: DateTime.fromISO(given, { zone: timeZone });
	if (given !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(given) || !day.isValid)) {
		throw new ExportReadError(
			'The export date is not a calendar date; write it as YYYY-MM-DD, like 2026-11-01, or leave it empty for the run date.',
		);
	}
	return {
		date: day.toISODate() as string,
		source: given === undefined ? 'the run date' : 'the Export Date option',
		endsAt: day.plus({ days: 1 }).toMillis(),
	};
}

function wanted(spec: FileSpec, entities: ReadonlySet<EntityName> | undefined): boolean {
	return !entities || entities.has(spec.entity);
}

/** Validates a built record against its canonical schema; a failure quarantines the row. */
function validated<T>(spec: FileSpec, record: T, row: ParsedRow): T | null {
	// The common case without zod: a record schemaCheck vouches for, copied as zod would copy it.
	const copy = parsedCopy(SCHEMAS[spec.entity], record);
	if (copy !== NOT_VOUCHED) return copy as T;
	const result = SCHEMAS[spec.entity].safeParse(record);
	if (result.success) return result.data as T;
	for (const problem of result.error.issues) {
		row.addIssue(
			'error',
			undefined,
			'invalid-record',
			`The row does not make a valid ${spec.entity} (${problem.path.join('.')}: ${problem.message}); correct the row in the source system.`,
		);
	}
	return null;
}

/**
 * Whether a built record that the read will not keep passes its schema (schemaCheck.ts): then it
 * is only counted, and zod's parsed copy of it is not needed. A kept record — a reference, a
 * patient of the page (or of any page with a spool or without a page, for the duplicate check),
 * a child of such a patient — always goes through validated, since the copy is what goes on
 * (zod's, or schemaCheck's identical one). A patient row that passes is accepted next, so its
 * accepted index is the count accepted so far (PatientIndex.accept); only its date of birth is
 * read from the record it then is.
 */
function passesUnkept(read: ExportRead, spec: FileSpec, keep: boolean, built: unknown): boolean {
	if (spec.role === 'reference') return false;
	if (spec.role === 'patient') {
		if (read.sink || !read.paged || read.inPage(read.patients.acceptedCount)) return false;
	} else if (keep) {
		return false;
	}
	const schema = SCHEMAS[spec.entity];
	return Array.isArray(built)
		? built.every((record) => passesSchema(schema, record))
		: passesSchema(schema, built);
}

/**
 * Reads an export with a source profile: reference entities, the page's patient bundles and the
 * validation report of the whole export (with a page, duplicate child IDs, owned keys and possible
 * duplicate patients are checked within the page only; index.ts, Memory). See index.ts for the contract.
 */
export async function readExport(
	profile: SourceProfile,
	source: ExportSource,
	options: ReadOptions = {},
): Promise<ReadResult> {
	const read = new ExportRead(profile, source, options);
	const failOnUnreadable = options.failOnUnreadableFile ?? true;
	let entities: Set<EntityName> | undefined;
	if (options.entities) {
		entities = new Set(options.entities);
		if (profile.files.some((spec) => spec.role === 'child' && entities?.has(spec.entity)))
			entities.add('patient');
	}

	let names: string[];
	try {
		names = await source.list();
	} catch (error) {
		throw new ExportReadError(
			`The export folder ${source.location} could not be listed (${describeFileError(error)}); check the path and that n8n may read it.`,
		);
	}

	const ordered = [...profile.files].sort((a, b) => rank(a) - rank(b));
	for (const spec of ordered) {
		if (!wanted(spec, entities)) continue;
		const accepted = new Set(spec.fileNames.map((name) => name.toLowerCase()));
		const present = names.filter((name) => accepted.has(name.toLowerCase()));
		if (present.length > 1) {
			// Reading one would drop the other's records without a word, and reading both could
			// migrate each patient twice: only a person knows which one is the export to migrate.
			const message = `${spec.name} is in the export twice, as ${present.join(' and ')}; move the one that is not the export to migrate out of the folder.`;
			if (failOnUnreadable) throw new ExportReadError(message, spec.name);
			read.report.issue('error', spec.name, 0, undefined, 'file-ambiguous', message);
			continue;
		}
		const fileName = present[0];
		if (fileName === undefined) {
			const message = `${spec.name} is not in the export; it is required. Export it from the source system into the folder.`;
			if (spec.mandatory && failOnUnreadable) throw new ExportReadError(message, spec.name);
			if (spec.mandatory)
				read.report.issue('error', spec.name, 0, undefined, 'file-missing', message);
			else
				read.report.issue(
					'info',
					spec.name,
					0,
					undefined,
					'file-absent',
					`${spec.name} is not in the export, so its records are not migrated.`,
				);
			continue;
		}
		const reader = new ProfileFileReader(
			source,
			fileName,
			spec,
			{
				languages: profile.languages,
				forbidMixedLanguages: profile.forbidMixedLanguages === true,
				defaultDateOrder: profile.defaultDateOrder,
				moneyStyle: profile.moneyStyle,
				timeZone: read.timeZone,
				overrides: overridesFor(options.columnMap, spec, fileName),
				exportDate: read.exportDate,
				birthDateOf: (patientId) => read.patients.birthDateOf(patientId),
			},
			read.report,
			read.report.file(spec.name),
		);
		try {
			await readFile(read, reader);
			if (spec.role === 'patient') checkPatientsRead(read, spec, reader.tally);
		} catch (error) {
			if (!(error instanceof UnreadableFileError)) throw error;
			if (failOnUnreadable) throw new ExportReadError(error.message, spec.name);
			read.report.issue('error', spec.name, 0, undefined, 'file-unreadable', error.message);
		}
	}

	const patientSpec = ordered.find((spec) => spec.role === 'patient');
	if (read.paged && patientSpec && wanted(patientSpec, entities)) {
		read.report.issue(
			'info',
			patientSpec.name,
			0,
			undefined,
			'page-scoped-checks',
			`This report is for one page of patients: repeated IDs in the files of patients' records (appointments, notes, …)${ownedKeysScoped(read)} and possible duplicate patients were checked among this page's patients only. Read the export without a page (step 1) to check the whole export.`,
		);
	}
	read.report.setPatients(read.acceptedPatients);
	for (const duplicate of read.duplicates.found)
		read.report.possibleDuplicate(duplicate.sourceKeys, duplicate.reason);
	const build = (patient: Patient, children: Map<string, ChildRecord[]>) => {
		// Before the time filter: a row set aside is no change that brings its patient into a delta.
		for (const finder of read.ownedKeys) {
			const records = children.get(finder.file);
			if (records) children.set(finder.file, finder.withoutShared(records));
		}
		if (
			read.filtersByTime &&
			!read.changed(patient) &&
			![...children.values()].some((records) =>
				records.some((record) => read.changed(record as Timestamps)),
			)
		) {
			return null;
		}
		return profile.assemble
			? profile.assemble(patient, children)
			: assembleBundle(profile, patient, children);
	};
	const bundles: PatientBundle[] = [];
	for (const { patient, children } of read.pagePatients.values()) {
		const bundle = build(patient, children);
		if (bundle) bundles.push(bundle);
	}
	const finishPage = options.spool?.finishPage;
	const spool = read.sink?.assemble(
		build,
		finishPage && ((page) => finishPage(page, read.references)),
	);
	// Every bundle is built, so every row of a shared ID has been set aside and can be named.
	for (const finder of read.ownedKeys) finder.reportTo(read.report);
	const page = options.page;
	return {
		references: !page || page.offset === 0 ? read.references : [],
		bundles,
		report: read.report.build(),
		page: {
			offset: page?.offset ?? 0,
			limit: page?.limit ?? null,
			patients: read.acceptedPatients,
		},
		...(spool ? { spool } : {}),
	};
}

/** The page-scoped notice's words for the owned-key checks of the files read (`, plan numbers …`). */
function ownedKeysScoped(read: ExportRead): string {
	return read.ownedKeys.map((finder) => `, ${finder.check.pageScoped} (${finder.file})`).join('');
}

/**
 * A patients file without data rows (empty, or a header only) leaves nothing to migrate and makes
 * every other row an orphan: an error for the run, not a quiet empty migration.
 */
function checkPatientsRead(read: ExportRead, spec: FileSpec, tally: FileReport): void {
	if (tally.rowsRead > 0) return;
	read.report.issue(
		'error',
		spec.name,
		tally.delimiter === 'unknown' ? 0 : 1,
		undefined,
		'no-patients',
		`${spec.name} holds no patient rows (${tally.delimiter === 'unknown' ? 'the file is empty' : 'only a header'}), so no patient can be migrated and the rows of the other files are reported as belonging to unknown patients. Export the patients again (check the export's filters) and replace the file.`,
	);
}

/** References first (patients may point at them), then patients, then the files that hang off them. */
function rank(spec: FileSpec): number {
	return spec.role === 'reference' ? 0 : spec.role === 'patient' ? 1 : 2;
}

function overridesFor(
	columnMap: ReadOptions['columnMap'],
	spec: FileSpec,
	fileName: string,
): Record<string, string> {
	if (!columnMap) return {};
	const keys = new Set([spec.name, fileName, ...spec.fileNames].map((name) => name.toLowerCase()));
	const merged: Record<string, string> = {};
	for (const [file, map] of Object.entries(columnMap))
		if (keys.has(file.toLowerCase())) Object.assign(merged, map);
	return merged;
}

async function readFile(read: ExportRead, reader: ProfileFileReader): Promise<void> {
	const { spec, tally } = reader;
	const { report, profile, source } = read;
	// Row IDs seen so far, for the duplicate check (flat arrays: a file may hold hundreds of
	// thousands). The patients file uses read.patients instead; with a page, a child file keeps
	// only the IDs of rows of the page's patients.
	const ids = new IdIndex();
	const ownedKey = spec.role === 'child' ? spec.ownedKey : undefined;
	const owned =
		ownedKey &&
		new SharedKeyFinder(
			spec.name,
			ownedKey,
			tally,
			() => reader.headerOf(ownedKey.field),
			read.options.rowNames ?? linesNamed,
		);
	if (owned) read.ownedKeys.push(owned);
	const seen = (id: string) => (spec.role === 'patient' ? read.patients.has(id) : ids.has(id));
	// One context per file; its issues go to the row being built.
	let current: ParsedRow | undefined;
	const ctx: BuildContext = {
		system: profile.system,
		currency: read.currency,
		timeZone: read.timeZone,
		issue: (severity, column, code, message) => current?.addIssue(severity, column, code, message),
		header: (field) => reader.headerOf(field),
		resolvePath: (relativePath) => source.resolve(relativePath),
		references: read.references,
	};
	// A batch of rows per await (rowBatches), handled one by one in file order.
	for await (const rows of reader.rowBatches())
		for (const row of rows) {
			current = row;
			const id = row.text(spec.idField);
			const rowPatientId = spec.role === 'child' ? row.text(spec.patientField) : undefined;
			const checked =
				!read.paged ||
				spec.role !== 'child' ||
				(rowPatientId !== undefined && read.pagePatients.has(rowPatientId));
			if (id !== undefined && checked && seen(id)) {
				row.addIssue(
					'error',
					reader.headerOf(spec.idField),
					'duplicate-id',
					'This ID was already used by an earlier row of the file; the later row was quarantined. Give each row its own ID in the source system.',
				);
			}
			let patientId: string | undefined;
			if (spec.role === 'child' && !row.quarantined) {
				patientId = rowPatientId as string;
				const index = read.patients.indexOf(patientId);
				if (index === -1) {
					row.addIssue(
						'error',
						reader.headerOf(spec.patientField),
						'patient-quarantined',
						'The row belongs to a patient whose own row was quarantined; fix that patient row and this row is read with it.',
					);
				} else if (index === undefined) {
					row.addIssue(
						'error',
						reader.headerOf(spec.patientField),
						'unknown-patient',
						'The row names a patient ID that is not in the patients file; export the patient too or correct the ID.',
					);
				}
			}
			const keep =
				spec.role !== 'child' ||
				(patientId !== undefined &&
					(read.sink
						? (read.patients.indexOf(patientId) ?? -1) >= 0
						: read.pagePatients.has(patientId)));
			let built: unknown = null;
			if (!row.quarantined) built = spec.build(row, ctx);
			if (built !== null && !row.quarantined && !passesUnkept(read, spec, keep, built)) {
				built = Array.isArray(built)
					? built.map((record) => validated(spec, record, row))
					: validated(spec, built, row);
			}
			for (const issue of row.issues)
				report.issue(issue.severity, spec.name, row.line, issue.column, issue.code, issue.message);
			if (id !== undefined && checked && spec.role !== 'patient') ids.set(id, 0);
			if (row.quarantined || built === null) {
				tally.rowsQuarantined += 1;
				if (spec.role === 'patient' && id !== undefined) read.patients.quarantine(id);
				continue;
			}
			tally.rowsAccepted += 1;
			if (spec.role !== 'reference')
				for (const record of Array.isArray(built) ? built : [built])
					report.noteChange(stampOf(record as Timestamps));
			if (spec.role === 'reference') {
				read.references.push(built as ReferenceEntity);
			} else if (spec.role === 'patient') {
				const patient = built as Patient;
				const index = read.patients.accept(id as string, patient.birthDate);
				if (read.sink) {
					read.sink.patient(index, id as string, patient);
					read.duplicates.add(patient);
				} else if (read.inPage(index)) {
					read.pagePatients.set(id as string, { patient, children: new Map() });
					read.duplicates.add(patient);
				} else if (!read.paged) {
					read.duplicates.add(patient);
				}
			} else if (keep) {
				const records = Array.isArray(built) ? (built as ChildRecord[]) : [built as ChildRecord];
				// Kept rows only: with a page, those of the page's patients (like duplicate child IDs).
				owned?.note(read.patients.indexOf(patientId as string) as number, records);
				if (read.sink) {
					read.sink.child(
						read.patients.indexOf(patientId as string) as number,
						spec.name,
						patientId as string,
						records,
					);
				} else {
					const children = (
						read.pagePatients.get(patientId as string) as { children: Map<string, ChildRecord[]> }
					).children;
					const list = children.get(spec.name) ?? [];
					list.push(...records);
					children.set(spec.name, list);
				}
			}
		}
	owned?.fileRead();
	if (read.filtersByTime && (spec.role === 'patient' || spec.role === 'child')) {
		const stamped =
			(spec.modifiedField && reader.has(spec.modifiedField)) ||
			(spec.createdField && reader.has(spec.createdField));
		if (!stamped && tally.rowsRead > 0) {
			report.issue(
				'info',
				spec.name,
				0,
				undefined,
				'no-modified-column',
				'The file has no modified or created time, so "modified since" cannot see its changes; those records come only with a bundle that changed otherwise.',
			);
		}
	}
}
