import { isUtf8 } from 'node:buffer';
import chardet from 'chardet';
import * as iconv from 'iconv-lite';

export interface EncodingVerdict {
	/** As the report shows it: `utf-8`, `utf-8-bom`, `windows-1252`, `utf-16le`. */
	name: string;
	/** The iconv-lite codec that decodes the file (it drops a BOM itself). */
	codec: string;
	/** The detector's own guess when it was not a Windows-1252 family name, for a warning. */
	doubtful?: string;
}

/** chardet names the Latin-1 family by its ISO names; exports from Windows are Windows-1252. */
const WINDOWS_1252_FAMILY = new Set(['windows-1252', 'iso-8859-1', 'iso-8859-15']);

const BOMS: { bytes: number[]; verdict: EncodingVerdict }[] = [
	{ bytes: [0xef, 0xbb, 0xbf], verdict: { name: 'utf-8-bom', codec: 'utf8' } },
	{ bytes: [0xff, 0xfe], verdict: { name: 'utf-16le', codec: 'utf16le' } },
	{ bytes: [0xfe, 0xff], verdict: { name: 'utf-16be', codec: 'utf16be' } },
];

/** Bytes at the end of a chunk that may start a multi-byte sequence finished by the next chunk. */
function incompleteTail(chunk: Buffer): number {
	for (let back = 1; back <= Math.min(3, chunk.length); back += 1) {
		const byte = chunk[chunk.length - back];
		if ((byte & 0xc0) === 0x80) continue;
		if (byte >= 0xc0) {
			const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
			return length > back ? back : 0;
		}
		return 0;
	}
	return 0;
}

/**
 * Walks bytes as UTF-8: calls `onStray` with the index of each byte that fits no well-formed
 * sequence (overlong forms and surrogates included, as isUtf8 sees them); returns the number of
 * well-formed multi-byte sequences.
 */
function scanUtf8(bytes: Buffer, onStray: (index: number) => void): number {
	let sequences = 0;
	let i = 0;
	while (i < bytes.length) {
		const byte = bytes[i];
		if (byte < 0x80) {
			i += 1;
			continue;
		}
		const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc2 ? 2 : 0;
		if (length > 0 && i + length <= bytes.length && isUtf8(bytes.subarray(i, i + length))) {
			sequences += 1;
			i += length;
		} else {
			onStray(i);
			i += 1;
		}
	}
	return sequences;
}

/** Counts well-formed multi-byte UTF-8 sequences and bytes that fit no sequence. */
function utf8Evidence(bytes: Buffer): { sequences: number; strays: number } {
	let strays = 0;
	const sequences = scanUtf8(bytes, () => (strays += 1));
	return { sequences, strays };
}

/** Multi-byte characters of valid UTF-8: one lead byte (0xC0 and above) each. */
function leadBytes(bytes: Buffer): number {
	let count = 0;
	for (let i = 0; i < bytes.length; i += 1) if (bytes[i] >= 0xc0) count += 1;
	return count;
}

const SAMPLE_BYTES = 64 * 1024;

/**
 * Sees a file's bytes once, chunk by chunk, and then gives its verdict. A BOM decides; valid UTF-8
 * is UTF-8 (so a UTF-8 file with accents is never read as Windows-1252); a file that is mostly
 * well-formed UTF-8 with a few broken bytes stays UTF-8 (its broken rows are reported); anything
 * else goes to chardet, and the Latin-1 family is read as Windows-1252.
 */
export class EncodingDetector {
	private first = true;
	private bom: EncodingVerdict | undefined;
	private carry: Buffer = Buffer.alloc(0);
	private valid = true;
	private readonly sample: Buffer[] = [];
	private sampled = 0;
	private sequences = 0;
	private strays = 0;

	/** The verdict a byte-order mark gave, known after the first chunk. */
	get byteOrderMark(): EncodingVerdict | undefined {
		return this.bom;
	}

	push(raw: Buffer): void {
		if (this.first) {
			this.first = false;
			this.bom = BOMS.find(({ bytes }) =>
				bytes.every((value, index) => raw[index] === value),
			)?.verdict;
		}
		if (this.bom) return;
		let chunk = this.carry.length > 0 ? Buffer.concat([this.carry, raw]) : raw;
		if (this.sampled < SAMPLE_BYTES) {
			const part = chunk.subarray(0, SAMPLE_BYTES - this.sampled);
			this.sample.push(Buffer.from(part));
			this.sampled += part.length;
		}
		const tail = incompleteTail(chunk);
		this.carry = tail > 0 ? Buffer.from(chunk.subarray(chunk.length - tail)) : Buffer.alloc(0);
		chunk = chunk.subarray(0, chunk.length - tail);
		if (this.valid && isUtf8(chunk)) {
			// Counted while the file is still valid too, so a broken byte late in the file (or in a
			// small chunk) weighs against all the UTF-8 seen before it.
			this.sequences += leadBytes(chunk);
			return;
		}
		this.valid = false;
		const evidence = utf8Evidence(chunk);
		this.sequences += evidence.sequences;
		this.strays += evidence.strays;
	}

	verdict(): EncodingVerdict {
		if (this.bom) return this.bom;
		if (this.valid && (this.carry.length === 0 || isUtf8(this.carry)))
			return { name: 'utf-8', codec: 'utf8' };
		if (this.sequences > this.strays) return { name: 'utf-8', codec: 'utf8' };
		const guess = chardet.detect(Buffer.concat(this.sample))?.toLowerCase();
		const verdict: EncodingVerdict = { name: 'windows-1252', codec: 'win1252' };
		if (guess !== undefined && !WINDOWS_1252_FAMILY.has(guess)) verdict.doubtful = guess;
		return verdict;
	}
}

/** Reads a whole byte stream and returns its encoding. */
export async function detectEncoding(bytes: AsyncIterable<Buffer>): Promise<EncodingVerdict> {
	const detector = new EncodingDetector();
	for await (const chunk of bytes) detector.push(chunk);
	return detector.verdict();
}

/**
 * Bytes a file's encoding cannot read are kept in the text as escapes, one per byte, so a cell
 * written in another encoding can be decoded again from its own bytes (decodeCell) instead of
 * turning into replacement characters. The escapes are private-use characters of plane 16
 * (U+10FF80–U+10FFFF), which no export writes; lone surrogates would not survive the CSV parser,
 * which re-encodes its input as UTF-8.
 */
const ESCAPE_BASE = 0x10ff00;
const ESCAPED = /[\u{10FF80}-\u{10FFFF}]/u;
const ESCAPED_ALL = /[\u{10FF80}-\u{10FFFF}]/gu;
const escapeByte = (byte: number) => String.fromCodePoint(ESCAPE_BASE + byte);

/** Windows-1252 by byte; the five bytes it leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) stay escapes. */
const WINDOWS_1252: string[] = Array.from({ length: 256 }, (_, byte) => {
	const char = iconv.decode(Buffer.from([byte]), 'win1252');
	return char === '\ufffd' ? escapeByte(byte) : char;
});
const WINDOWS_1252_BYTES = new Map(WINDOWS_1252.map((char, byte) => [char, byte]));

interface TextDecoding {
	write(chunk: Buffer): string;
	end(): string;
}

/** UTF-8 that keeps each byte outside a well-formed sequence as an escape; drops a leading BOM. */
class ByteKeepingUtf8 implements TextDecoding {
	private carry: Buffer = Buffer.alloc(0);
	private first = true;

	write(raw: Buffer): string {
		let chunk = this.carry.length > 0 ? Buffer.concat([this.carry, raw]) : raw;
		if (this.first && chunk.length >= 3) {
			this.first = false;
			if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
		}
		const tail = this.first ? chunk.length : incompleteTail(chunk);
		this.carry = Buffer.from(chunk.subarray(chunk.length - tail));
		return decodeKeepingBytes(chunk.subarray(0, chunk.length - tail));
	}

	end(): string {
		const rest = this.carry;
		this.carry = Buffer.alloc(0);
		if (this.first && rest.length >= 3 && rest[0] === 0xef && rest[1] === 0xbb && rest[2] === 0xbf)
			return decodeKeepingBytes(rest.subarray(3));
		return decodeKeepingBytes(rest);
	}
}

function decodeKeepingBytes(bytes: Buffer): string {
	if (isUtf8(bytes)) return bytes.toString('utf8');
	let text = '';
	let start = 0;
	scanUtf8(bytes, (index) => {
		text += bytes.toString('utf8', start, index) + escapeByte(bytes[index]);
		start = index + 1;
	});
	return text + bytes.toString('utf8', start);
}

const windows1252: TextDecoding = {
	write: (chunk) =>
		chunk.toString('latin1').replace(/[\x80-\x9f]/g, (char) => WINDOWS_1252[char.charCodeAt(0)]),
	end: () => '',
};

function decoderFor(verdict: EncodingVerdict): TextDecoding {
	if (verdict.codec === 'utf8') return new ByteKeepingUtf8();
	if (verdict.codec === 'win1252') return windows1252;
	return iconv.getDecoder(verdict.codec) as TextDecoding;
}

/** Decodes a byte stream chunk by chunk (multi-byte characters split across chunks are kept whole). */
export async function* decode(
	bytes: AsyncIterable<Buffer>,
	verdict: EncodingVerdict,
): AsyncGenerator<string> {
	const decoder = decoderFor(verdict);
	for await (const chunk of bytes) {
		const text = decoder.write(chunk);
		if (text) yield text;
	}
	const rest = decoder.end();
	if (rest) yield rest;
}

/** What decoders put where a byte had no character; a cell holding it lost information. */
export const REPLACEMENT_CHARACTER = '\ufffd';

/** A cell as decoded, and what its bytes said about the encoding. */
export interface CellDecoding {
	text: string;
	/**
	 * `utf-8-in-windows-1252`: the cell's bytes are UTF-8 in a single-byte file (read as UTF-8);
	 * `windows-1252-in-utf-8`: bytes outside UTF-8 in a UTF-8 file (read as Windows-1252);
	 * `undecodable`: bytes no encoding of the export reads.
	 */
	finding?: 'utf-8-in-windows-1252' | 'windows-1252-in-utf-8' | 'undecodable';
}

/**
 * Decodes one cell the way that makes it valid when its bytes are in the other of the export's
 * two encodings (a row fixed in another editor). A Windows-1252 cell whose bytes form well-formed
 * UTF-8 with at least one multi-byte character is UTF-8 (mojibake like "Ã©" in a real name is far
 * less likely than an edited row); a UTF-8 cell with escaped bytes takes those bytes as Windows-1252.
 */
export function decodeCell(cell: string, verdict: EncodingVerdict): CellDecoding {
	if (verdict.codec === 'win1252') {
		if (!/[\u0080-\uffff]/.test(cell)) return { text: cell };
		const bytes = Buffer.from(Array.from(cell, (char) => WINDOWS_1252_BYTES.get(char) ?? 0));
		if (isUtf8(bytes)) return { text: bytes.toString('utf8'), finding: 'utf-8-in-windows-1252' };
		return ESCAPED.test(cell) ? { text: cell, finding: 'undecodable' } : { text: cell };
	}
	if (verdict.codec === 'utf8') {
		if (!ESCAPED.test(cell)) return { text: cell };
		const text = cell.replace(
			ESCAPED_ALL,
			(char) => WINDOWS_1252[(char.codePointAt(0) as number) - ESCAPE_BASE],
		);
		return ESCAPED.test(text)
			? { text: cell, finding: 'undecodable' }
			: { text, finding: 'windows-1252-in-utf-8' };
	}
	return cell.includes(REPLACEMENT_CHARACTER)
		? { text: cell, finding: 'undecodable' }
		: { text: cell };
}
