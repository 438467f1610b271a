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

/** Line breaks inside a record's fields (CRLF counts once), to find the line it starts on. */
function lineBreaks(fields: readonly string[]): { breaks: number; crlf: number } {
	let breaks = 0;
	let crlf = 0;
	for (const field of fields) {
		for (let i = 0; i < field.length; i += 1) {
			const char = field.charCodeAt(i);
			if (char === 10) breaks += 1;
			else if (char === 13) {
				breaks += 1;
				if (field.charCodeAt(i + 1) === 10) {
					crlf += 1;
					i += 1;
				}
			}
		}
	}
	return { breaks, crlf };
}

/**
 * Streams records out of decoded text with csv-parse. Quoted newlines stay in their field; the
 * records before a syntax problem are yielded, and `onEnd` says where and why the parse stopped.
 * The parser is fed chunk by chunk and emits its records synchronously, so at most one chunk's
 * records are held at a time and none are lost when it fails.
 */
export async function* readCsvRecords(
	text: AsyncIterable<string>,
	delimiter: string,
	onEnd: (end: CsvEnd) => void,
): AsyncGenerator<CsvRecord> {
	const parser = parse({
		delimiter,
		info: true,
		relax_column_count: true,
		relax_quotes: true,
		skip_empty_lines: true,
	});
	const ready: CsvRecord[] = [];
	let failure: CsvError | undefined;
	let endLine = 0;
	// csv-parse counts a CRLF inside quotes as two lines; this undoes it so lines stay physical.
	let overcount = 0;
	parser.on('data', ({ record, info }: { record: string[]; info: { lines: number } }) => {
		const { breaks, crlf } = lineBreaks(record);
		overcount += crlf;
		endLine = info.lines - overcount;
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
		yield* ready.splice(0);
		if (failure) break;
	}
	if (heldCr && !failure) lastChar = 'cut';
	if (!failure) parser.end();
	parser.resume();
	await ended;
	const last = ready.pop();
	yield* ready.splice(0);
	if (last) {
		last.unterminated = !failure && lastChar !== '\n' && lastChar !== '\r';
		yield last;
	}
	if (!failure) onEnd({ kind: 'complete' });
	else if (failure.code === 'CSV_QUOTE_NOT_CLOSED')
		onEnd({ kind: 'unterminated-quote', line: endLine + 1 });
	else onEnd({ kind: 'syntax', line: endLine + 1, reason: failure.code });
}
