/**
 * Shared reader machinery: a source is a declarative *profile* plus a little source-specific code,
 * and one generic driver reads any export with it.
 *
 * ## The driver
 *
 * ```ts
 * const result = await readExport(profile, source, options);
 * // result.references: ReferenceEntity[]   (practices, providers, insurers, referral sources)
 * // result.bundles:    PatientBundle[]     (the page's patients, in patients-file order)
 * // result.report:     ValidationReport    (the whole export; with a page, see Memory below)
 * // result.page:       { offset, limit, patients }  (patients = accepted patients in the export)
 * ```
 *
 * - `profile: SourceProfile` (profile.ts): the system name, header languages, default date order
 *   and money style, default currency and time zone, and one `FileSpec` per file. A FileSpec lists
 *   its file names, its columns (`ColumnSpec`: field, headers per language, type, required, value
 *   map), its ID field, its modified/created fields, its role (`reference` | `patient` | `child`
 *   with the `patientField` and bundle `collection`) and a `build(row, ctx)` that turns a parsed
 *   `SourceRow` into a canonical record (or null after `ctx.issue(...)`). An optional
 *   `profile.assemble(patient, childrenByFile)` replaces the default bundle assembly (DentAdmin
 *   groups treatments into plans there).
 * - `source: ExportSource` (exportSource.ts): `folderSource(dir)` for a folder on disk, or
 *   `memorySource(label, files)` for files handed over in memory or as streams (n8n binaries).
 *   File names match the profile case-insensitively. Document paths are resolved with
 *   `source.resolve(relativePath)`, which refuses a path that leaves the export folder.
 * - `options: ReadOptions` (driver.ts): `entities` to read (default all), `page` `{ offset, limit }`
 *   over accepted patients, `modifiedSince` (RFC 3339: a bundle is kept when its patient or any
 *   child changed after it; reference entities are always kept), `timeZone` (IANA, local
 *   date-times become UTC), `currency`, `columnMap` (`{ 'patients.csv': { Cell: 'MobilePhone' } }`:
 *   a source header → a field name or any header of that field), and `failOnUnreadableFile`
 *   (default true: an unreadable or missing mandatory file throws `ExportReadError` naming the
 *   file; false: it becomes a report error and the read goes on).
 *
 * ## What the driver does for every file
 *
 * Encoding (encoding.ts: BOM → UTF-8; valid UTF-8 → UTF-8; otherwise chardet, Windows-1252 for
 * the Latin family; bytes that do not decode quarantine their row), delimiter sniffing
 * (delimiter.ts: `,` `;` tab), header matching (headers.ts: case, accents, spaces, `_ - .`,
 * synonyms per language, the language reported, mixed languages an error when the profile says
 * so), streaming parse (csvRows.ts: csv-parse; quoted newlines; a truncated last line and an
 * unterminated quote become report entries naming the line, the rows before them kept), per-file
 * date order (dates.ts: a pre-scan decides MM/DD vs DD/MM, ISO always accepted, a file whose rows
 * disagree gets a finding, placeholder dates are missing values), money (money.ts), duplicate IDs
 * (the later row is quarantined), orphans (a child row whose patient is unknown or quarantined is
 * quarantined, never dropped silently), possible duplicate patients (duplicates.ts: same name and
 * birth date, or same name and email; shared family emails alone are not duplicates) and the
 * report (report.ts). Rows with an `error` issue are quarantined; every other row is accepted.
 *
 * Column types `email` and `phone` (contacts.ts) keep a value as written when it can be one; a
 * value that cannot (`x@`, `jan.peeters`, `bel na 17u`, `n/a`) is a warning naming file, line and
 * column, is not given to the record as an e-mail or phone, and is kept in the row's `extra` under
 * the file's header, so the mapping step still sees it (its transform warns `column-unmapped` until
 * the spec routes or excludes that header in `unknownColumns`). A required column refuses the row
 * instead (a provider whose e-mail is no address can never be matched to a user). A FileSpec's
 * `dateOrder` lists the date fields of a row that cannot go backwards (birth, first visit, last
 * visit; proposed, accepted, completed; start, end): a later field dated earlier is a warning
 * `dates-out-of-order`, both dates kept; in a child file `PATIENT_BIRTH_DATE` stands for the
 * accepted patient's date of birth (care before birth), kept for the read in one map entry per
 * patient with a birth date. A `money` column with `negativeMayBe` warns about a
 * negative amount (`negative-amount`, "may be a refund") and keeps it.
 *
 * ## Memory
 *
 * With a page, patients.csv is read once to select the page, then each child file is streamed and
 * only rows of the page's patients are kept. The one thing kept for the whole export is one map
 * entry per patient ID (accepted or quarantined): selecting the page and counting accepted patients
 * need it (a repeated patient ID quarantines the later row), and it also serves the orphan check,
 * which therefore still covers every child row. Nothing is kept per child row: duplicate child IDs
 * and source IDs that must belong to one patient (a FileSpec's `ownedKey`, sharedKeys.ts:
 * DentAdmin's plan numbers) are checked among the rows of the page's patients only, and possible
 * duplicate patients among the page's patients only; the page's report says so in one `page-scoped-checks` info issue (on
 * the patients file, line 0). Everything else in the report (row counts, per-row issues, orphans,
 * duplicate patient IDs, patients total) still covers the whole export, so rows of other pages
 * that only the unpaged read would quarantine as duplicate IDs count as accepted here. The unpaged
 * read (step 1 of a migration) is the validation of the whole export; its report is unchanged.
 *
 * ## Streamed read (spool.ts)
 *
 * `spool: { dir, pageSize }` reads the export once and keeps every check whole-export, as the
 * unpaged read does, without holding the bundles: each accepted patient and each accepted child
 * row is appended (as one NDJSON line) to the raw file of its patient's page in `dir`, through a
 * small buffer per page; after the read every page is assembled into its bundles (one JSON
 * bundle per line, `page-000000.ndjson` …) and its raw file removed. `result.bundles` is then
 * empty, `result.spool.bundles[i]` counts page i's bundles, and `readSpoolPage(dir, i)` gives
 * them back. The pages concatenated are the unpaged read's bundles byte for byte as JSON, and
 * the report is the unpaged read's (test/sources/common/spool.test.ts). Kept in memory for the
 * whole export: one entry per patient ID (and its page), the possible-duplicate fingerprints and,
 * while a file is read, its row IDs (and its records' source IDs when it has an `ownedKey`). The folder and files are owner-only (they hold patient
 * values); a new spool read of the same folder first removes the pages left there.
 */
export { readExport, ExportReadError, parseModifiedSince } from './driver';
export { linesNamed, listRows, type RowNames } from './rowNames';
export type { ReadOptions, ReadResult } from './driver';
export { folderSource, memorySource } from './exportSource';
export type { ExportSource, ResolvedPath, MemoryFile } from './exportSource';
export type {
	BuildContext,
	BundleCollection,
	ChildFileSpec,
	ChildRecord,
	ColumnSpec,
	ColumnType,
	FileSpec,
	PatientFileSpec,
	PatientOwnedKey,
	ReferenceFileSpec,
	SourceProfile,
	SourceRow,
} from './profile';
export { PATIENT_BIRTH_DATE } from './profile';
export { assembleBundle } from './bundles';
export { readSpoolPage, removeSpool } from './spool';
export type { SpoolOptions, SpoolResult } from './spool';
export type { DateOrder } from './dates';
export type { MoneyStyle } from './money';
export { flattenRichText } from './richText';
export { normalizeHeader } from './headers';
export { recordBase, keyOf, money, compact } from './records';
