import * as iconv from 'iconv-lite';
import type { FileReport } from '../../model';
import { cellParser, type CellResult } from './cells';
import { readCsvRecordBatches, readCsvRecords, type CsvEnd, type CsvRecord } from './csvRows';
import { DateOrderDetector, zoneDateOf, type DateOrder } from './dates';
import { surveyBytes, type DateSurvey } from './dateSurvey';
import { sniffDelimiter, type DelimiterSniff } from './delimiter';
import { decode, decodeCell, EncodingDetector, type EncodingVerdict } from './encoding';
import type { ExportSource } from './exportSource';
import { describeFileError } from './fileErrors';
import { matchHeaders, type HeaderMatch } from './headers';
import type { MoneyStyle } from './money';
import { PATIENT_BIRTH_DATE, type ColumnSpec, type FileSpec } from './profile';
import type { ReportBuilder } from './report';
import { ParsedRow } from './sourceRow';

export interface FileReadSettings {
	languages: readonly string[];
	forbidMixedLanguages: boolean;
	defaultDateOrder: DateOrder;
	moneyStyle: MoneyStyle;
	timeZone: string;
	/** User column map for this file: source header → field or header. */
	overrides: Readonly<Record<string, string>>;
	exportDate: ExportDate;
	/** The accepted patient's date of birth by patient ID, for a child file's PATIENT_BIRTH_DATE. */
	birthDateOf?: (patientId: string) => string | undefined;
}

/** The day the export was made; dates of things that happened cannot be later. */
export interface ExportDate {
	/** `YYYY-MM-DD`. */
	date: string;
	/** How it is known, for the report: the reader's Export Date option, or the run date. */
	source: 'the Export Date option' | 'the run date';
	/** The first instant after that day in the read's time zone (epoch ms), for date-times. */
	endsAt: number;
}

/** A file could not be opened or read at all (permissions, a folder in its place, I/O). */
export class UnreadableFileError extends Error {
	constructor(
		readonly file: string,
		readonly reason: string,
	) {
		super(
			`${file} could not be read (${reason}); check that it exists, is a file and is readable by n8n.`,
		);
		this.name = 'UnreadableFileError';
	}
}

async function* guarded(file: string, bytes: () => AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
	try {
		for await (const chunk of bytes()) yield chunk;
	} catch (error) {
		throw new UnreadableFileError(file, describeFileError(error));
	}
}

/** Splits off the text up to the first line break so the delimiter can be sniffed from the header. */
async function* withFirstLine(
	text: AsyncIterable<string>,
	onFirstLine: (line: string) => void,
): AsyncGenerator<string> {
	let head = '';
	let done = false;
	for await (const chunk of text) {
		if (!done) {
			head += chunk;
			const end = head.search(/\r|\n/);
			if (end < 0) continue;
			done = true;
			onFirstLine(head.slice(0, end));
			yield head;
			continue;
		}
		yield chunk;
	}
	if (!done) {
		onFirstLine(head);
		if (head !== '') yield head;
	}
}

interface Survey extends DateSurvey {
	verdict: EncodingVerdict;
}

const DELIMITER_NAMES: Record<string, string> = { '\t': 'tab' };

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_CHARACTERS_ALL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
/**
 * In a UTF-8 file, what makes a cell more than its text: a control character, or a byte kept
 * escaped because it was not UTF-8 (encoding.ts, ESCAPED: U+10FF80–U+10FFFF, which in UTF-16 is
 * the surrogate pair \uDBFF followed by \uDF80–\uDFFF). Written with the pair and without the `u`
 * flag: the same matches, and V8 runs a non-unicode character class over every cell much faster.
 */
// eslint-disable-next-line no-control-regex -- as above
const SUSPECT_IN_UTF8 = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\uDBFF[\uDF80-\uDFFF]/;

/**
 * The decoded text of a UTF-8 file, with whether every chunk so far was free of SUSPECT_IN_UTF8:
 * a record is parsed only from chunks already yielded here, so while `clean` holds none of its
 * cells can be suspect and cellText skips the per-cell test (most files are clean throughout).
 * The decoder emits an escaped byte's surrogate pair whole, so a chunk boundary splits no match.
 */
class SuspectWatch {
	clean = true;

	async *watch(text: AsyncIterable<string>): AsyncGenerator<string> {
		for await (const chunk of text) {
			if (this.clean && SUSPECT_IN_UTF8.test(chunk)) this.clean = false;
			yield chunk;
		}
	}
}

/**
 * Whether a date-time is `YYYY-MM-DDTHH:MM:SSZ`, the form toUtcDateTime writes for years
 * 0000–9999: such texts sort as their instants do, so the date checks of every row compare them
 * as text instead of parsing both with Date.parse.
 */
function isUtcSeconds(value: string): boolean {
	return value.length === 20 && value.charCodeAt(19) === 90 && value.charCodeAt(10) === 84;
}

/** `YYYY-MM-DDTHH:MM:SSZ` of a whole-second instant in years 0000–9999, else undefined. */
function utcSecondsText(epochMs: number): string | undefined {
	if (!Number.isFinite(epochMs) || epochMs % 1000 !== 0) return undefined;
	const iso = new Date(epochMs).toISOString();
	return iso.length === 24 ? `${iso.slice(0, 19)}Z` : undefined;
}

/** How the patient's date of birth compares in a child file's date order: a calendar date. */
const BIRTH_COLUMN: ColumnSpec = { field: PATIENT_BIRTH_DATE, headers: {}, type: 'date' };

/**
 * Reads one export file for the driver in two passes: the first learns the encoding and the date
 * evidence of every column (dates are ASCII, so an optimistic UTF-8 decode is enough for them);
 * the second decodes properly, matches the header and yields parsed rows. Nothing but counters and
 * per-column evidence is kept between the passes.
 */
export class ProfileFileReader {
	/** The header row as written (trimmed) and how it matched the profile; set by the second pass. */
	private headers: string[] = [];
	private match: HeaderMatch | undefined;
	/** The export date's end as `YYYY-MM-DDTHH:MM:SSZ`, for comparing date-times as text (null: not that form). */
	private endsAtText: string | null | undefined;
	/** The file's encoding, known after the first pass. */
	private verdict: EncodingVerdict = { name: 'utf-8', codec: 'utf8' };
	/** Whether the UTF-8 text read so far holds nothing suspect (SuspectWatch). */
	private suspects = new SuspectWatch();

	constructor(
		private readonly source: ExportSource,
		readonly fileName: string,
		readonly spec: FileSpec,
		private readonly settings: FileReadSettings,
		private readonly report: ReportBuilder,
		readonly tally: FileReport,
	) {}

	/** The header this file uses for a field (the field name when the column is absent). */
	headerOf(field: string): string {
		const index = this.match?.fields.indexOf(field) ?? -1;
		return index >= 0 ? (this.headers[index] ?? field) : field;
	}

	/** Whether the file has a column for the field. */
	has(field: string): boolean {
		return this.match?.fields.includes(field) ?? false;
	}

	private fileIssue(
		severity: 'error' | 'warning' | 'info',
		line: number,
		column: string | undefined,
		code: string,
		message: string,
	): void {
		this.report.issue(severity, this.spec.name, line, column, code, message);
	}

	/** The first pass: by bytes (dateSurvey.ts), or by text for the shapes that one leaves here. */
	private async survey(): Promise<Survey> {
		const detector = new EncodingDetector();
		const bytes = guarded(this.fileName, () => this.source.open(this.fileName));
		const survey = await surveyBytes(bytes, detector);
		if (survey) return { ...survey, verdict: detector.verdict() };
		return this.textSurvey();
	}

	/** The first pass over the decoded text, through the reader's CSV parser: every shape. */
	async textSurvey(): Promise<Survey> {
		const detector = new EncodingDetector();
		const bytes = guarded(this.fileName, () => this.source.open(this.fileName));
		let decoder: ReturnType<typeof iconv.getDecoder> | undefined;
		let empty = true;
		async function* tapped(): AsyncGenerator<string> {
			for await (const chunk of bytes) {
				if (chunk.length > 0) empty = false;
				detector.push(chunk);
				decoder ??= iconv.getDecoder(detector.byteOrderMark?.codec ?? 'utf8');
				const text = decoder.write(chunk);
				if (text) yield text;
			}
			const rest = decoder?.end();
			if (rest) yield rest;
		}
		const header: { sniff: DelimiterSniff } = { sniff: { kind: 'single-column' } };
		const text = withFirstLine(tapped(), (line) => (header.sniff = sniffDelimiter(line)));
		const dates: DateOrderDetector[] = [];
		let headerRow = true;
		// The delimiter is only known once the first line has been seen, so parse lazily.
		const first = text[Symbol.asyncIterator]();
		const head = await first.next();
		if (!head.done) {
			const delimiter = header.sniff.kind === 'found' ? header.sniff.delimiter : ',';
			async function* all(): AsyncGenerator<string> {
				yield head.value as string;
				for (let next = await first.next(); !next.done; next = await first.next()) yield next.value;
			}
			for await (const record of readCsvRecords(all(), delimiter, () => undefined)) {
				if (headerRow) {
					headerRow = false;
					continue;
				}
				record.fields.forEach((cell, index) => {
					(dates[index] ??= new DateOrderDetector()).add(cell, record.line);
				});
			}
		}
		return { verdict: detector.verdict(), sniff: header.sniff, empty, dates };
	}

	/** Yields the file's data rows, parsed; file-level findings go straight to the report. */
	async *rows(): AsyncGenerator<ParsedRow> {
		for await (const batch of this.rowBatches()) yield* batch;
	}

	/**
	 * The file's data rows a CSV batch at a time (readCsvRecordBatches), each batch parsed row by
	 * row as it is iterated: the caller handles a row before the next is parsed, so findings reach
	 * the report in the same order as with rows(), without an async step per row.
	 */
	async *rowBatches(): AsyncGenerator<Iterable<ParsedRow>> {
		const { spec, tally } = this;
		const survey = await this.survey();
		tally.encoding = survey.verdict.name;
		this.verdict = survey.verdict;
		if (survey.verdict.doubtful !== undefined) {
			this.fileIssue(
				'warning',
				0,
				undefined,
				'encoding-guessed',
				`The file is neither UTF-8 nor clearly Windows-1252 (the detector suggested ${survey.verdict.doubtful}); it was read as Windows-1252. Check accented names, or export it as UTF-8.`,
			);
		}
		if (survey.empty) {
			this.fileIssue(
				'warning',
				0,
				undefined,
				'empty-file',
				'The file is empty (not even a header row); export it again or remove it from the folder.',
			);
			return;
		}
		if (survey.sniff.kind === 'foreign') {
			tally.delimiter = survey.sniff.delimiter;
		} else {
			tally.delimiter =
				survey.sniff.kind === 'found'
					? (DELIMITER_NAMES[survey.sniff.delimiter] ?? survey.sniff.delimiter)
					: ',';
		}
		const delimiter = survey.sniff.kind === 'found' ? survey.sniff.delimiter : ',';

		let end: CsvEnd = { kind: 'complete' };
		this.suspects = new SuspectWatch();
		const batches = readCsvRecordBatches(
			this.suspects.watch(
				decode(
					guarded(this.fileName, () => this.source.open(this.fileName)),
					survey.verdict,
				),
			),
			delimiter,
			(e) => (end = e),
		);
		let rejected: string | undefined;
		let parsers: (((raw: string) => CellResult) | undefined)[] = [];
		let columns: (ColumnSpec | undefined)[] = [];
		const positions = new Map<string, number>();
		const placeholders = new Map<string, number>();
		let sawHeader = false;
		const parsed = function* (this: ProfileFileReader, batch: CsvRecord[]): Generator<ParsedRow> {
			for (const record of batch) {
				if (!sawHeader) {
					sawHeader = true;
					rejected = this.readHeader(record, survey);
					columns = (this.match?.fields ?? []).map((field) =>
						spec.columns.find((column) => column.field === field),
					);
					const cellSettings = this.cellSettings(survey);
					parsers = columns.map((column) =>
						column ? cellParser(column, cellSettings) : undefined,
					);
					columns.forEach((column, index) => column && positions.set(column.field, index));
					continue;
				}
				tally.rowsRead += 1;
				if (rejected !== undefined) {
					tally.rowsQuarantined += 1;
					continue;
				}
				yield this.parseRecord(record, columns, parsers, positions, placeholders);
			}
		};
		for await (const batch of batches) yield parsed.call(this, batch);
		this.finish(end as CsvEnd, sawHeader, rejected, placeholders);
	}

	private cellSettings(survey: Survey) {
		const evidence = new DateOrderDetector();
		this.match?.fields.forEach((field, index) => {
			const column = this.spec.columns.find((candidate) => candidate.field === field);
			if ((column?.type === 'date' || column?.type === 'dateTime') && survey.dates[index])
				evidence.absorb(survey.dates[index]);
		});
		const finding = evidence.result(this.settings.defaultDateOrder);
		this.tally.dateFormat = finding.assumed ? `${finding.label} (assumed)` : finding.label;
		if (finding.disagreeingLines.length > 0) {
			this.fileIssue(
				'warning',
				finding.disagreeingLines[0],
				undefined,
				'date-order-mixed',
				`Rows of this file write dates in both day/month orders; the file was read as ${finding.label} and rows in the other order (first at lines ${finding.disagreeingLines.join(', ')}) are reported. Export the file with one date order.`,
			);
		}
		return {
			dateOrder: finding.order,
			dateLabel: finding.label.split(' ')[0],
			moneyStyle: this.settings.moneyStyle,
			timeZone: this.settings.timeZone,
		};
	}

	/** Matches the header row; returns why the whole file is rejected, if it is. */
	private readHeader(record: CsvRecord, survey: Survey): string | undefined {
		const { spec, settings, tally } = this;
		this.headers = record.fields.map((header) => decodeCell(header, this.verdict).text.trim());
		if (survey.sniff.kind === 'foreign') {
			this.fileIssue(
				'error',
				record.line,
				undefined,
				'unsupported-delimiter',
				`Fields are separated by "${survey.sniff.delimiter}", which is not a CSV delimiter this reader accepts (comma, semicolon or tab); export the file again with one of those. Every row of the file was quarantined.`,
			);
			this.match = matchHeaders([], spec.columns, settings.languages, settings.overrides);
			tally.missingColumns = this.match.missing.map((missing) => missing.header);
			return 'delimiter';
		}
		const match = matchHeaders(this.headers, spec.columns, settings.languages, settings.overrides);
		this.match = match;
		tally.missingColumns = match.missing.map((missing) => missing.header);
		tally.extraColumns = match.extraColumns;
		if (match.language !== undefined && settings.languages.length > 1) {
			this.fileIssue(
				'info',
				record.line,
				undefined,
				'header-language',
				`The headers are in the "${match.language}" header set.`,
			);
		}
		for (const header of match.repeated) {
			this.fileIssue(
				'warning',
				record.line,
				header,
				'repeated-column',
				'Two columns name the same field; the later one is kept as an extra column. Rename or remove one of them.',
			);
		}
		let rejected: string | undefined;
		if (settings.forbidMixedLanguages && match.mixedLanguages) {
			this.fileIssue(
				'error',
				record.line,
				undefined,
				'mixed-header-languages',
				`The header row mixes header sets (${match.mixedLanguages.join(', ')}); export the file again in one language. Every row of the file was quarantined.`,
			);
			rejected = 'languages';
		}
		for (const missing of match.missing) {
			if (missing.required) {
				this.fileIssue(
					'error',
					record.line,
					missing.header,
					'missing-required-column',
					`The required column is missing; add it to the export or map an existing column to it with a column-map override. Every row of the file was quarantined.`,
				);
				rejected ??= 'column';
			} else {
				this.fileIssue(
					'warning',
					record.line,
					missing.header,
					'missing-optional-column',
					'The optional column is missing; its field stays empty for every row of this file.',
				);
			}
		}
		return rejected;
	}

	/**
	 * The cell's text once its encoding is settled (see decodeCell), without control characters;
	 * undefined when its bytes cannot be read (an error on the row).
	 */
	private cellText(written: string, header: string, row: ParsedRow): string | undefined {
		// Almost every cell is plain text: one test instead of decodeCell's and the control check.
		if (this.verdict.codec === 'utf8' && (this.suspects.clean || !SUSPECT_IN_UTF8.test(written)))
			return written;
		const { text, finding } = decodeCell(written, this.verdict);
		if (finding === 'undecodable') {
			row.addIssue(
				'error',
				header,
				'undecodable-bytes',
				`The cell holds bytes that are not valid in the file's encoding (${this.tally.encoding}) nor in ${this.tally.encoding === 'windows-1252' ? 'UTF-8' : 'Windows-1252'}; export the file again as UTF-8.`,
			);
			return undefined;
		}
		if (finding !== undefined) {
			const [cellEncoding, fileEncoding] =
				finding === 'utf-8-in-windows-1252'
					? ['UTF-8', 'Windows-1252']
					: ['Windows-1252', this.tally.encoding.toUpperCase()];
			row.addIssue(
				'warning',
				header,
				'cell-encoding-mixed',
				`The cell is written in ${cellEncoding} while the rest of the file is ${fileEncoding} (typically a row edited in another program); it was read as ${cellEncoding}. Check the value and export the file again in one encoding.`,
			);
		}
		// Control characters (NUL, escape, …) are never part of a name or note: binary damage or a
		// wrong encoding. Tab and line breaks are text.
		if (!CONTROL_CHARACTERS.test(text)) return text;
		row.addIssue(
			'warning',
			header,
			'control-characters',
			'The cell holds control characters (such as NUL), which are no text; they were removed. Check the value in the source system.',
		);
		return text.replace(CONTROL_CHARACTERS_ALL, '');
	}

	private parseRecord(
		record: CsvRecord,
		columns: (ColumnSpec | undefined)[],
		parsers: (((raw: string) => CellResult) | undefined)[],
		positions: ReadonlyMap<string, number>,
		placeholders: Map<string, number>,
	): ParsedRow {
		const row = new ParsedRow(this.spec.name, record.line, positions);
		const expected = this.headers.length;
		if (record.fields.length !== expected) {
			// A quote that swallowed later lines comes first, even in the last row: saying only "cut
			// off" would leave the swallowed lines unreported (the fuzzer's seed 879360194).
			if (record.lastLine > record.line) {
				this.reportQuoteSpan(record, row, expected);
			} else if (record.unterminated && record.fields.length < expected) {
				row.addIssue(
					'error',
					undefined,
					'truncated-last-line',
					`The last line ends after ${record.fields.length} of ${expected} fields without a line break: the export was cut off. Export the file again.`,
				);
			} else {
				row.addIssue(
					'error',
					undefined,
					'field-count-mismatch',
					`The row has ${record.fields.length} fields but the header has ${expected}; check the delimiter and that text containing it is quoted.`,
				);
			}
			return row;
		}
		const { fields } = record;
		for (let index = 0; index < fields.length; index += 1) {
			const column = columns[index];
			const header = this.headers[index];
			const cell = this.cellText(fields[index], header, row);
			if (cell === undefined) continue;
			const trimmed = cell.trim();
			if (!column) {
				if (trimmed !== '') row.extra[header] = cell;
				continue;
			}
			const result = (parsers[index] as (trimmed: string) => CellResult)(trimmed);
			if (trimmed !== '') row.raw[index] = trimmed;
			if (result.kind === 'value') {
				row.values[index] = result.value;
			} else if (result.kind === 'invalid') {
				this.invalidCell(row, index, header, column, result);
			} else {
				if (result.placeholderDate) placeholders.set(header, (placeholders.get(header) ?? 0) + 1);
				if (column.required)
					row.addIssue(
						'error',
						header,
						'missing-value',
						'The required value is empty; fill it in the source system and export again.',
					);
			}
		}
		this.checkHappened(row, columns);
		this.checkDateOrder(row, columns, positions);
		return row;
	}

	/**
	 * An invalid cell is a warning and its field stays empty; in a required column it is an error
	 * (the row is quarantined). A cell whose valid part was accepted (a refund's negative amount,
	 * the good addresses of a list) is a warning whatever the column; the text a type refused
	 * (`kept`) goes to the row's extra columns under the file's header, so nothing is lost.
	 */
	private invalidCell(
		row: ParsedRow,
		index: number,
		header: string,
		column: ColumnSpec,
		result: Extract<CellResult, { kind: 'invalid' }>,
	): void {
		const said = result.accepted !== undefined || result.kept !== undefined;
		// The column's text is then what was accepted (an invalid choice keeps its word for the profile).
		if (said) row.raw[index] = result.accepted?.text;
		if (result.accepted) row.values[index] = result.accepted.value;
		if (result.kept !== undefined) row.extra[header] = result.kept;
		const error = column.required === true && result.accepted === undefined;
		row.addIssue(
			error ? 'error' : 'warning',
			header,
			result.code,
			error || said ? result.message : `${result.message} The field was left empty.`,
		);
	}

	/**
	 * A quote opened in a row and closed only lines later swallowed the rows in between: the row is
	 * reported, and so is each swallowed line, so no row of the file disappears without a word.
	 */
	private reportQuoteSpan(record: CsvRecord, row: ParsedRow, expected: number): void {
		row.addIssue(
			'error',
			undefined,
			'quote-spans-rows',
			`The row has ${record.fields.length} fields but the header has ${expected}: a quote opened in it closes only on line ${record.lastLine}, so the lines up to there were read into it. Close the quote (double any quote inside text) and export again.`,
		);
		for (let line = record.line + 1; line <= record.lastLine; line += 1) {
			this.fileIssue(
				'error',
				line,
				undefined,
				'read-into-quoted-field',
				`This line was read as part of a quoted field opened on line ${record.line}, so its row could not be read; close that quote and export again.`,
			);
		}
	}

	/** Warns about dates of things that happened (see ColumnSpec.happened) lying after the export date. */
	private checkHappened(row: ParsedRow, columns: (ColumnSpec | undefined)[]): void {
		const { exportDate } = this.settings;
		this.endsAtText ??= utcSecondsText(exportDate.endsAt) ?? null;
		const endsAtText = this.endsAtText;
		columns.forEach((column, index) => {
			if (!column?.happened) return;
			const value = row.values[index];
			if (typeof value !== 'string') return;
			const when = column.happened === true ? undefined : column.happened.when;
			if (when && !when.values.includes(row.choice(when.field) ?? '')) return;
			const later =
				column.type === 'date'
					? value > exportDate.date
					: endsAtText !== null && isUtcSeconds(value)
						? value >= endsAtText
						: Date.parse(value) >= exportDate.endsAt;
			if (!later) return;
			row.addIssue(
				'warning',
				this.headers[index],
				'date-after-export',
				`The date is after the export date (${exportDate.date}, ${exportDate.source}), but it records something that had already happened; it was kept as written. Correct the date in the source system, or set the reader's Export Date option if the export was made later.`,
			);
		});
	}

	/** Warns about a date before the one its file's `dateOrder` says comes first (see FileSpec). */
	private checkDateOrder(
		row: ParsedRow,
		columns: (ColumnSpec | undefined)[],
		positions: ReadonlyMap<string, number>,
	): void {
		const { spec } = this;
		for (const sequence of spec.dateOrder ?? []) {
			let previous: { value: string; column: ColumnSpec | undefined; label: string } | undefined;
			for (const field of sequence) {
				if (field === PATIENT_BIRTH_DATE) {
					const patientId = spec.role === 'child' ? row.text(spec.patientField) : undefined;
					const birth =
						patientId === undefined ? undefined : this.settings.birthDateOf?.(patientId);
					if (birth !== undefined)
						previous = { value: birth, column: BIRTH_COLUMN, label: "the patient's date of birth" };
					continue;
				}
				const index = positions.get(field);
				const value = index === undefined ? undefined : row.values[index];
				if (index === undefined || typeof value !== 'string') continue;
				if (previous && this.isBefore(value, columns[index], previous.value, previous.column)) {
					const where =
						previous.column === BIRTH_COLUMN
							? `${previous.label} (patients file)`
							: `${previous.label} of the same row`;
					row.addIssue(
						'warning',
						this.headers[index],
						'dates-out-of-order',
						`The date is before ${where}, which cannot come later; both were kept as written (a duration between them is left empty). Correct the dates in the source system.`,
					);
				}
				previous = { value, column: columns[index], label: this.headers[index] };
			}
		}
	}

	/** `a` before `b`; a date against a date-time compares calendar days in the read's time zone. */
	private isBefore(
		a: string,
		aColumn: ColumnSpec | undefined,
		b: string,
		bColumn: ColumnSpec | undefined,
	): boolean {
		if (aColumn?.type === bColumn?.type) {
			if (aColumn?.type === 'date' || (isUtcSeconds(a) && isUtcSeconds(b))) return a < b;
			return Date.parse(a) < Date.parse(b);
		}
		return this.dayOf(a, aColumn) < this.dayOf(b, bColumn);
	}

	/** A date as written, a date-time as its calendar day in the read's time zone. */
	private dayOf(value: string, column: ColumnSpec | undefined): string {
		return column?.type === 'date' ? value : zoneDateOf(value, this.settings.timeZone);
	}

	private finish(
		end: CsvEnd,
		sawHeader: boolean,
		rejected: string | undefined,
		placeholders: Map<string, number>,
	): void {
		const { tally } = this;
		if (end.kind !== 'complete') {
			// The row the parse stopped in is the one quarantined; the rows after it are unreadable.
			tally.rowsRead += 1;
			tally.rowsQuarantined += 1;
			this.fileIssue(
				'error',
				end.line,
				undefined,
				end.kind === 'unterminated-quote' ? 'unterminated-quote' : 'csv-syntax',
				end.kind === 'unterminated-quote'
					? 'A quoted field that starts in the row on this line is never closed, so this row and everything after it could not be read; close the quote (double any quote inside text) and export again.'
					: `The CSV structure is broken here (${end.reason}); nothing after this line could be read. Fix the quoting and export again.`,
			);
		}
		if (sawHeader && tally.rowsRead === 0 && rejected === undefined) {
			this.fileIssue(
				'info',
				1,
				undefined,
				'no-rows',
				'The file has a header row but no data rows.',
			);
		}
		for (const [header, count] of placeholders) {
			this.fileIssue(
				'info',
				0,
				header,
				'placeholder-date',
				`${count} placeholder date(s) (00/00/0000 or 01/01/1900) were read as missing.`,
			);
		}
	}
}
