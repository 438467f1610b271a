import * as iconv from 'iconv-lite';
import { DateOrderDetector } from './dates';
import { sniffDelimiter, type DelimiterSniff } from './delimiter';
import type { EncodingDetector } from './encoding';

/** What the first pass over a file learns before its rows are read. */
export interface DateSurvey {
	sniff: DelimiterSniff;
	empty: boolean;
	/** Date evidence by column index (header row excluded). */
	dates: DateOrderDetector[];
}

const QUOTE = 34;
const CR = 13;
const LF = 10;
/** A UTF-8 character is at most 4 bytes for 2 UTF-16 units: a longer cell is no date candidate. */
const MAX_CANDIDATE_BYTES = 120;
/** DateOrderDetector.add looks only at cells of 8 to 30 characters. */
const MIN_CANDIDATE = 8;
const MAX_CANDIDATE = 30;

/** The byte scanner's place in a record. */
const enum At {
	RecordStart,
	FieldStart,
	Unquoted,
	Quoted,
	/** A quote inside a quoted field: a doubled quote or the field's end. */
	QuoteInQuoted,
}

/**
 * The first pass's date evidence read from the raw bytes, without decoding the file or splitting
 * it into strings: the pass only needs, per column, the few cells shaped like dates, and a cell of
 * ASCII bytes is its own text in UTF-8 and Windows-1252 alike. It follows the hand parser of
 * csvRows.ts (fields, quotes, the first line break as the record delimiter, skipped empty lines,
 * physical line numbers) and hands each candidate cell to DateOrderDetector.add as the text survey
 * would, so the evidence is the same. Whatever that parser would hand to csv-parse (a second kind
 * of line break, text after a closing quote, a quote never closed, a lone CR at the end) makes
 * `scan` return false, and the caller runs the text survey instead.
 */
export class ByteDateScanner {
	readonly dates: DateOrderDetector[] = [];
	private readonly delimiter: number;
	private at = At.RecordStart;
	/** A CR was the last byte outside quotes: the next one says whether it was a CRLF. */
	private pendingCr = false;
	/** A CR was the last byte inside quotes (a CRLF counts as one line). */
	private quotedCr = false;
	private recordDelimiter: 'lf' | 'cr' | 'crlf' | undefined;
	private line = 1;
	private recordLine = 1;
	private headerSeen = false;
	private column = 0;
	/** The first bytes of a cell that spans chunks or quotes, and its whole length. */
	private readonly cell = Buffer.alloc(MAX_CANDIDATE_BYTES);
	private cellLength = 0;
	/** The quoted cell holds a doubled quote: never a date. */
	private escaped = false;

	constructor(delimiter: string) {
		this.delimiter = delimiter.charCodeAt(0);
	}

	/** Scans the bytes from `from` on; false once the file leaves the shape this scanner follows. */
	scan(bytes: Buffer, from = 0): boolean {
		const d = this.delimiter;
		const n = bytes.length;
		let i = from;
		while (i < n) {
			const c = bytes[i];
			if (this.pendingCr) {
				this.pendingCr = false;
				if (c === LF) {
					if (!this.lineBreak('crlf')) return false;
					i += 1;
					continue;
				}
				if (!this.lineBreak('cr')) return false;
			}
			const at = this.at;
			if (at === At.RecordStart) {
				if (c === CR || c === LF) {
					i += 1;
					if (c === CR) this.pendingCr = true;
					else if (!this.lineBreak('lf')) return false;
					continue;
				}
				this.recordLine = this.line;
				this.column = 0;
				this.at = At.FieldStart;
				continue;
			}
			if (at === At.FieldStart) {
				this.cellLength = 0;
				this.escaped = false;
				if (c === QUOTE) {
					this.at = At.Quoted;
					i += 1;
					continue;
				}
				// The common case: the whole unquoted cell lies in this chunk, checked where it is.
				let end = i;
				while (end < n) {
					const b = bytes[end];
					if (b === d || b === CR || b === LF) break;
					end += 1;
				}
				if (end === n) {
					this.copy(bytes, i, n);
					this.at = At.Unquoted;
					return true;
				}
				this.cellAt(bytes, i, end);
				i = end + 1;
				const b = bytes[end];
				if (b === d) continue;
				if (!this.endRecordAt(b)) return false;
				continue;
			}
			if (at === At.Unquoted) {
				if (c === d) {
					this.endCell();
					this.at = At.FieldStart;
				} else if (c === CR || c === LF) {
					this.endCell();
					if (!this.endRecordAt(c)) return false;
				} else {
					this.copy(bytes, i, i + 1);
				}
				i += 1;
				continue;
			}
			if (at === At.Quoted) {
				let end = i;
				let line = this.line;
				let quotedCr = this.quotedCr;
				while (end < n) {
					const b = bytes[end];
					if (b === QUOTE) break;
					if (b === LF) {
						if (!quotedCr) line += 1;
						quotedCr = false;
					} else if (b === CR) {
						line += 1;
						quotedCr = true;
					} else quotedCr = false;
					end += 1;
				}
				this.line = line;
				this.quotedCr = quotedCr;
				this.copy(bytes, i, end);
				i = end;
				if (end < n) {
					this.at = At.QuoteInQuoted;
					this.quotedCr = false;
					i += 1;
				}
				continue;
			}
			// At.QuoteInQuoted: a doubled quote, or the field's end.
			if (c === QUOTE) {
				this.escaped = true;
				this.at = At.Quoted;
			} else if (c === d) {
				this.endCell();
				this.at = At.FieldStart;
			} else if (c === CR || c === LF) {
				this.endCell();
				if (!this.endRecordAt(c)) return false;
			} else {
				return false;
			}
			i += 1;
		}
		return true;
	}

	/** The end of the bytes; false when the text survey must decide (an open quote, a lone CR). */
	finish(): boolean {
		if (this.pendingCr || this.at === At.Quoted) return false;
		if (this.at === At.FieldStart || this.at === At.Unquoted || this.at === At.QuoteInQuoted)
			this.endCell();
		return true;
	}

	/** Keeps a cell's bytes that continue in the next chunk (only the first few can matter). */
	private copy(bytes: Buffer, from: number, to: number): void {
		const room = MAX_CANDIDATE_BYTES - this.cellLength;
		if (room > 0) bytes.copy(this.cell, this.cellLength, from, Math.min(to, from + room));
		this.cellLength += to - from;
	}

	private endCell(): void {
		this.cellAt(this.cell, 0, this.cellLength);
	}

	/**
	 * Hands the cell to DateOrderDetector.add when its text could pass add's shape test: 8 to 30
	 * characters with a separator at character 1, 2 or 4. Five ASCII bytes first are those
	 * characters; a cell with other bytes is decoded first. `this.cellLength` counts kept cells.
	 */
	private cellAt(bytes: Buffer, from: number, to: number): void {
		const column = this.column;
		this.column += 1;
		if (!this.headerSeen || this.escaped) return;
		const length = to - from;
		if (length < MIN_CANDIDATE || length > MAX_CANDIDATE_BYTES) return;
		const b0 = bytes[from];
		const b1 = bytes[from + 1];
		const b2 = bytes[from + 2];
		const b3 = bytes[from + 3];
		const b4 = bytes[from + 4];
		const ascii = (b0 | b1 | b2 | b3 | b4) < 0x80;
		if (ascii && b1 >= 48 && b2 >= 48 && b4 >= 48) return;
		const detector = (this.dates[column] ??= new DateOrderDetector());
		if (ascii && commonDate(bytes, from, length, detector, this.recordLine)) return;
		const text = bytes.toString('utf8', from, to);
		if (text.length > MAX_CANDIDATE) return;
		detector.add(text, this.recordLine);
	}

	/** A line break outside quotes ends the record; a CR waits for the next byte (CRLF?). */
	private endRecordAt(c: number): boolean {
		this.at = At.RecordStart;
		this.headerSeen = true;
		if (c === LF) return this.lineBreak('lf');
		this.pendingCr = true;
		return true;
	}

	/** Counts a line break outside quotes; false when it is not the file's record delimiter. */
	private lineBreak(kind: 'lf' | 'cr' | 'crlf'): boolean {
		this.line += 1;
		this.recordDelimiter ??= kind;
		return this.recordDelimiter === kind;
	}
}

const isDigitByte = (byte: number) => byte >= 48 && byte <= 57;
/** The number written by the ASCII digits bytes[from..to), or -1 when one is no digit. */
function byteDigits(bytes: Buffer, from: number, to: number): number {
	let value = 0;
	for (let at = from; at < to; at += 1) {
		const byte = bytes[at];
		if (!isDigitByte(byte)) return -1;
		value = value * 10 + byte - 48;
	}
	return value;
}

/**
 * The shapes almost every date cell has (`MM/DD/YYYY`, with ` HH:MM` and ` AM`/` PM`, and
 * `YYYY-MM-DD`, with ` HH:MM:SS`) handed to the detector from their bytes, as
 * DateOrderDetector.add would hand them after reading the decoded text (tokenizeCommon in
 * dates.ts, which this follows shape for shape), without making a string of every date cell.
 * False for any other shape: the caller decodes the cell and lets `add` read it.
 */
function commonDate(
	bytes: Buffer,
	from: number,
	length: number,
	detector: DateOrderDetector,
	line: number,
): boolean {
	if (length < 10) return false;
	const third = bytes[from + 2];
	if ((third === 47 || third === 46 || third === 45) && bytes[from + 5] === third) {
		const first = byteDigits(bytes, from, from + 2);
		const second = byteDigits(bytes, from + 3, from + 5);
		if (first < 0 || second < 0 || byteDigits(bytes, from + 6, from + 10) < 0) return false;
		if (length !== 10) {
			if (bytes[from + 10] !== 32 || bytes[from + 13] !== 58) return false;
			const hour = byteDigits(bytes, from + 11, from + 13);
			const minute = byteDigits(bytes, from + 14, from + 16);
			if (hour < 0 || minute < 0) return false;
			let twelveHour = false;
			if (length === 19 && bytes[from + 16] === 32 && (bytes[from + 18] | 32) === 109) {
				const meridiem = bytes[from + 17] | 32;
				if (meridiem !== 97 && meridiem !== 112) return false;
				twelveHour = true;
			} else if (length !== 16) return false;
			// Not a clock: no token, no evidence (as `add` finds).
			if (twelveHour ? hour < 1 || hour > 12 : hour > 23) return true;
			if (minute > 59) return true;
		}
		detector.addSlashed(first, second, String.fromCharCode(third), line);
		return true;
	}
	if (bytes[from + 4] === 45 && bytes[from + 7] === 45) {
		if (
			byteDigits(bytes, from, from + 4) < 0 ||
			byteDigits(bytes, from + 5, from + 7) < 0 ||
			byteDigits(bytes, from + 8, from + 10) < 0
		)
			return false;
		if (length !== 10) {
			if (length !== 19 || bytes[from + 13] !== 58 || bytes[from + 16] !== 58) return false;
			const at = bytes[from + 10];
			if (at !== 32 && at !== 84) return false;
			const hour = byteDigits(bytes, from + 11, from + 13);
			const minute = byteDigits(bytes, from + 14, from + 16);
			const second = byteDigits(bytes, from + 17, from + 19);
			if (hour < 0 || minute < 0 || second < 0) return false;
			if (hour > 23 || minute > 59 || second > 59) return true;
		}
		detector.addIso();
		return true;
	}
	return false;
}

/** A UTF-8 byte-order mark is not text (the text survey's decoder drops it too). */
const bomLength = (bytes: Buffer) =>
	bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;

/**
 * The first pass by bytes (see ByteDateScanner): the encoding evidence of every chunk, the
 * delimiter from the header line, and the date evidence per column. Null when the file is not
 * ASCII-compatible (a UTF-16 byte-order mark) or leaves the scanner's shape: the caller then runs
 * the text survey, which reads every shape. `detector` has seen every byte read when it returns.
 */
export async function surveyBytes(
	bytes: AsyncIterable<Buffer>,
	detector: EncodingDetector,
): Promise<DateSurvey | null> {
	let empty = true;
	let head: Buffer[] = [];
	let scanner: ByteDateScanner | undefined;
	let sniff: DelimiterSniff = { kind: 'single-column' };
	let first = true;
	const start = (joined: Buffer, breakAt: number): ByteDateScanner => {
		// The header line as the text survey decodes it: UTF-8 with a leading BOM dropped.
		const decoder = iconv.getDecoder('utf8');
		sniff = sniffDelimiter(decoder.write(joined.subarray(0, breakAt)) + (decoder.end() ?? ''));
		const delimiter = sniff.kind === 'found' ? sniff.delimiter : ',';
		return new ByteDateScanner(delimiter);
	};
	for await (const chunk of bytes) {
		if (chunk.length === 0) continue;
		empty = false;
		detector.push(chunk);
		if (first) {
			first = false;
			const bom = detector.byteOrderMark;
			// Shorter than a BOM, the text decoder might still find one across chunks.
			if ((bom !== undefined && bom.codec !== 'utf8') || chunk.length < 3) return null;
		}
		if (scanner) {
			if (!scanner.scan(chunk)) return null;
			continue;
		}
		head.push(chunk);
		const breakAt = chunk.findIndex((byte) => byte === CR || byte === LF);
		if (breakAt < 0) continue;
		const joined = Buffer.concat(head);
		head = [];
		const headLength = joined.length - chunk.length + breakAt;
		scanner = start(joined, headLength);
		if (!scanner.scan(joined, bomLength(joined))) return null;
	}
	if (!scanner && !empty) {
		const joined = Buffer.concat(head);
		scanner = start(joined, joined.length);
		if (!scanner.scan(joined, bomLength(joined))) return null;
	}
	if (scanner && !scanner.finish()) return null;
	return { sniff, empty, dates: scanner?.dates ?? [] };
}
