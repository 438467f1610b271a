import { parse, type CsvError } from 'csv-parse';

export interface CsvRecord {
	fields: string[];
	/** 1-based physical line where the record starts (a quoted newline makes a record span lines). */
	line: number;
	/** 1-based physical line where the record ends. */
	lastLine: number;
	/** Whether the record is the file's last and the file does not end with a line break. */
	unterminated: boolean;
}

/** How the parse ended: cleanly, or at a syntax problem after which nothing more can be read. */
export type CsvEnd =
	| { kind: 'complete' }
	| { kind: 'unterminated-quote'; line: number }
	| { kind: 'syntax'; line: number; reason: string };

const QUOTE = 34;
const CR = 13;
const LF = 10;
/** A record longer than this is left to csv-parse: rescanning it per chunk would be quadratic. */
const MAX_PENDING_RECORD = 1 << 20;

/** Line breaks inside a record's fields (CRLF counts once), to find the line it starts on. */
function lineBreaks(fields: readonly string[]): { breaks: number; crlf: number } {
	let breaks = 0;
	let crlf = 0;
	for (const field of fields) {
		const counted = breaksIn(field, 0, field.length);
		breaks += counted.breaks;
		crlf += counted.crlf;
	}
	return { breaks, crlf };
}

function breaksIn(text: string, from: number, to: number): { breaks: number; crlf: number } {
	let breaks = 0;
	let crlf = 0;
	for (let i = from; i < to; i += 1) {
		const char = text.charCodeAt(i);
		if (char === LF) breaks += 1;
		else if (char === CR) {
			breaks += 1;
			if (i + 1 < to && text.charCodeAt(i + 1) === LF) {
				crlf += 1;
				i += 1;
			}
		}
	}
	return { breaks, crlf };
}

/** Where the hand-written parser stopped in its text: it needs more, or csv-parse takes over. */
const NEED_MORE = -1;
const HAND_OVER = -2;

/**
 * The common shape of a CSV file, parsed by hand: csv-parse's own rules for the options the reader
 * uses (relax_quotes, relax_column_count, skip_empty_lines, the first line break found outside
 * quotes is the record delimiter), about four times faster. Anything outside that shape — a quote
 * closed before other text, a line break that is not the record delimiter, a quote never closed,
 * a huge record — is handed to csv-parse from the start of its record, so unusual files read
 * exactly as before (test/sources/common/csvRows.test.ts compares the two on generated text).
 */
class HandParser {
	/** Text from the start of the current record on. */
	pending = '';
	/** Physical line the pending text starts on. */
	line = 1;
	recordDelimiter = '';
	/** The last record parsed, held back until it is known whether it is the file's last. */
	held: CsvRecord | undefined;
	/** Where the held record's end was decided (its delimiter's first character, or the text's end). */
	private heldEnd = { at: 0, byEnd: false, discovering: false };
	private readonly delimiter: number;

	constructor(delimiter: string) {
		this.delimiter = delimiter.charCodeAt(0);
	}

	/**
	 * Parses the complete records of `pending`; returns them (the last one stays held) and whether
	 * csv-parse must take over from `pending`. `final`: no more text follows.
	 */
	take(final: boolean, out: CsvRecord[]): boolean {
		const s = this.pending;
		const n = s.length;
		let p = 0;
		let result = 0;
		while (p < n) {
			const c = s.charCodeAt(p);
			if (c === CR || c === LF) {
				const length = this.recordDelimiterAt(s, p, final);
				if (length < 0) {
					result = length;
					break;
				}
				// An empty line: skipped, counted.
				p += length;
				this.line += 1;
				continue;
			}
			const end = this.record(s, p, final);
			if (end < 0) {
				result = end;
				break;
			}
			p = end;
			if (this.held) out.push(this.held);
			this.held = this.parsed;
			const parsedEnd = this.parsedEnd;
			this.heldEnd = {
				at: this.base + parsedEnd.at,
				byEnd: parsedEnd.byEnd,
				discovering: parsedEnd.discovering,
			};
		}
		this.pending = p === 0 ? s : s.slice(p);
		this.base += p;
		if (result === NEED_MORE && this.pending.length > MAX_PENDING_RECORD) return true;
		return result === HAND_OVER || (final && result === NEED_MORE);
	}

	/** Length of the record delimiter at `p` (a CR or LF), NEED_MORE, or HAND_OVER for another break. */
	private recordDelimiterAt(s: string, p: number, final: boolean): number {
		const c = s.charCodeAt(p);
		// A CR as the last character may be half a CRLF (or the file's cut end): wait for more.
		if (c === CR && p + 1 >= s.length) return final ? HAND_OVER : NEED_MORE;
		const found = c === LF ? '\n' : s.charCodeAt(p + 1) === LF ? '\r\n' : '\r';
		if (this.recordDelimiter === '') {
			this.recordDelimiter = found;
			this.discovered = true;
			return found.length;
		}
		this.discovered = false;
		if (found === this.recordDelimiter) return found.length;
		// In a CR file a CRLF is a record delimiter followed by a line feed in the next field.
		if (this.recordDelimiter === '\r' && c === CR) return 1;
		return HAND_OVER;
	}

	private discovered = false;
	private parsed: CsvRecord | undefined;
	private parsedEnd = { at: 0, byEnd: false, discovering: false };

	/** Parses one record at `start`; returns the position after its delimiter, NEED_MORE or HAND_OVER. */
	private record(s: string, start: number, final: boolean): number {
		const n = s.length;
		const d = this.delimiter;
		const fields: string[] = [];
		let breaks = 0;
		let q = start;
		for (;;) {
			let next: number;
			if (q < n && s.charCodeAt(q) === QUOTE) {
				let value = '';
				let from = q + 1;
				let close: number;
				for (;;) {
					close = s.indexOf('"', from);
					if (close < 0) return NEED_MORE;
					if (close + 1 >= n && !final) return NEED_MORE;
					if (close + 1 < n && s.charCodeAt(close + 1) === QUOTE) {
						value += s.slice(from, close + 1);
						from = close + 2;
						continue;
					}
					break;
				}
				value += s.slice(from, close);
				breaks += breaksIn(s, q + 1, close).breaks;
				fields.push(value);
				q = close + 1;
				if (q >= n) return this.ended(fields, breaks, n, true);
				next = s.charCodeAt(q);
				if (next !== d && next !== CR && next !== LF) return HAND_OVER;
			} else {
				let r = q;
				while (r < n) {
					const char = s.charCodeAt(r);
					if (char === d || char === CR || char === LF) break;
					r += 1;
				}
				if (r >= n) {
					if (!final) return NEED_MORE;
					fields.push(s.slice(q, r));
					return this.ended(fields, breaks, n, true);
				}
				fields.push(s.slice(q, r));
				q = r;
				next = s.charCodeAt(q);
			}
			if (next === d) {
				q += 1;
				continue;
			}
			const length = this.recordDelimiterAt(s, q, final);
			if (length < 0) return length;
			this.ended(fields, breaks, q, false);
			this.parsedEnd.discovering = this.discovered;
			return q + length;
		}
	}

	private ended(fields: string[], breaks: number, at: number, byEnd: boolean): number {
		const line = this.line;
		this.line += breaks + 1;
		this.parsed = { fields, line, lastLine: line + breaks, unterminated: false };
		this.parsedEnd = { at, byEnd, discovering: false };
		return at;
	}

	/**
	 * Marks the file's last record as csv-parse does: unterminated when the text ends inside it; when
	 * the text ended in a lone CR that was dropped (`cut`), also when its record delimiter sits in
	 * the last characters csv-parse waits on before it knows a line is complete.
	 */
	finish(cut: boolean): CsvRecord | undefined {
		const last = this.held;
		this.held = undefined;
		if (!last) return undefined;
		this.bodyLength = this.base + this.pending.length;
		const { at, byEnd, discovering } = this.heldEnd;
		const waited = this.recordDelimiter === '\r\n' || discovering ? 2 : 1;
		last.unterminated = byEnd || (cut && at >= this.bodyLength - waited);
		return last;
	}

	/** Offset of `pending` in the whole text. */
	base = 0;
	/** Length of the whole text once it has ended (for `finish`). */
	bodyLength = 0;
}

/**
 * Streams records out of decoded text. Quoted newlines stay in their field; the records before a
 * syntax problem are yielded, and `onEnd` says where and why the parse stopped. At most one
 * chunk's records are held at a time. The common shape is parsed by hand (HandParser); from the
 * first record outside it, csv-parse reads the rest.
 */
export async function* readCsvRecords(
	text: AsyncIterable<string>,
	delimiter: string,
	onEnd: (end: CsvEnd) => void,
): AsyncGenerator<CsvRecord> {
	for await (const batch of readCsvRecordBatches(text, delimiter, onEnd)) yield* batch;
}

/**
 * readCsvRecords a text chunk's records at a time: the reader's hot loop takes a batch per await
 * instead of paying an async generator's step (promises, a microtask) for every record.
 */
export async function* readCsvRecordBatches(
	text: AsyncIterable<string>,
	delimiter: string,
	onEnd: (end: CsvEnd) => void,
): AsyncGenerator<CsvRecord[]> {
	const hand = new HandParser(delimiter);
	const chunks = text[Symbol.asyncIterator]();
	const out: CsvRecord[] = [];
	let lastLine = 0;
	let handOver = false;
	let done = false;
	let cut = false;
	while (!handOver) {
		const next = await chunks.next();
		if (next.done) {
			done = true;
			break;
		}
		hand.pending += next.value;
		handOver = hand.take(false, out);
		if (out.length > 0) {
			lastLine = out[out.length - 1].lastLine;
			yield out.splice(0);
		}
	}
	if (done) {
		// A lone CR at the very end (a file cut between CR and LF) ends nothing: dropped, and the
		// last row counts as cut off (see finish).
		cut = hand.pending.endsWith('\r');
		if (cut) hand.pending = hand.pending.slice(0, -1);
		handOver = hand.take(true, out);
		if (out.length > 0) {
			lastLine = out[out.length - 1].lastLine;
			yield out.splice(0);
		}
		if (!handOver) {
			const last = hand.finish(cut);
			if (last) yield [last];
			onEnd({ kind: 'complete' });
			return;
		}
	}
	if (hand.held) {
		lastLine = hand.held.lastLine;
		yield [hand.held];
	}
	const pending = hand.pending + (cut ? '\r' : '');
	async function* rest(): AsyncGenerator<string> {
		if (pending !== '') yield pending;
		if (done) return;
		for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
	}
	yield* csvParseRecordBatches(rest(), delimiter, onEnd, {
		lineOffset: hand.line - 1,
		lastLine,
		recordDelimiter: hand.recordDelimiter || undefined,
	});
}

/** Where csv-parse starts: lines before its text, the last line already yielded, the record delimiter. */
interface CsvStart {
	lineOffset: number;
	lastLine: number;
	recordDelimiter?: string;
}

/**
 * Streams records with csv-parse. The parser is fed chunk by chunk and emits its records
 * synchronously, so at most one chunk's records are held at a time and none are lost when it fails.
 */
export async function* csvParseRecords(
	text: AsyncIterable<string>,
	delimiter: string,
	onEnd: (end: CsvEnd) => void,
	start: CsvStart = { lineOffset: 0, lastLine: 0 },
): AsyncGenerator<CsvRecord> {
	for await (const batch of csvParseRecordBatches(text, delimiter, onEnd, start)) yield* batch;
}

/** csvParseRecords a written chunk's records at a time (see readCsvRecordBatches). */
async function* csvParseRecordBatches(
	text: AsyncIterable<string>,
	delimiter: string,
	onEnd: (end: CsvEnd) => void,
	start: CsvStart,
): AsyncGenerator<CsvRecord[]> {
	const parser = parse({
		delimiter,
		info: true,
		relax_column_count: true,
		relax_quotes: true,
		skip_empty_lines: true,
		...(start.recordDelimiter === undefined ? {} : { record_delimiter: start.recordDelimiter }),
	});
	const ready: CsvRecord[] = [];
	let failure: CsvError | undefined;
	let endLine = start.lastLine;
	// csv-parse counts a CRLF inside quotes as two lines; this undoes it so lines stay physical.
	let overcount = 0;
	parser.on('data', ({ record, info }: { record: string[]; info: { lines: number } }) => {
		const { breaks, crlf } = lineBreaks(record);
		overcount += crlf;
		endLine = info.lines - overcount + start.lineOffset;
		ready.push({ fields: record, line: endLine - breaks, lastLine: endLine, unterminated: false });
	});
	parser.on('error', (error: CsvError) => (failure = error));
	const ended = new Promise<void>((resolve) => {
		parser.on('end', resolve);
		parser.on('error', () => resolve());
	});
	let lastChar = '';
	// A CR at a chunk's end waits for the next chunk: a file cut between the CR and LF of its last
	// line end leaves a lone CR, which csv-parse would count without a line (the last row's line
	// number came out one too small); at the end it is dropped and the row read as unterminated.
	let heldCr = '';
	for await (const part of text) {
		const chunk = heldCr + part;
		heldCr = chunk.endsWith('\r') ? '\r' : '';
		const body = heldCr ? chunk.slice(0, -1) : chunk;
		if (body === '') continue;
		lastChar = body[body.length - 1];
		parser.write(body);
		if (ready.length > 0) yield ready.splice(0);
		if (failure) break;
	}
	if (heldCr && !failure) lastChar = 'cut';
	if (!failure) parser.end();
	parser.resume();
	await ended;
	const rest = ready.splice(0);
	if (rest.length > 0) {
		rest[rest.length - 1].unterminated = !failure && lastChar !== '\n' && lastChar !== '\r';
		yield rest;
	}
	if (!failure) onEnd({ kind: 'complete' });
	else if (failure.code === 'CSV_QUOTE_NOT_CLOSED')
		onEnd({ kind: 'unterminated-quote', line: endLine + 1 });
	else onEnd({ kind: 'syntax', line: endLine + 1, reason: failure.code });
}
