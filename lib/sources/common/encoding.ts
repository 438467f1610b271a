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

/** Counts well-formed multi-byte UTF-8 sequences and bytes that fit no sequence. */
function utf8Evidence(bytes: Buffer): { sequences: number; strays: number } {
	let sequences = 0;
	let strays = 0;
	let i = 0;
	while (i < bytes.length) {
		const byte = bytes[i];
		if (byte < 0x80) {
			i += 1;
			continue;
		}
		const length =
			byte >= 0xf0 && byte < 0xf5 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc2 && byte < 0xe0 ? 2 : 0;
		let ok = length > 0 && i + length <= bytes.length;
		for (let k = 1; ok && k < length; k += 1) ok = (bytes[i + k] & 0xc0) === 0x80;
		if (ok) {
			sequences += 1;
			i += length;
		} else {
			strays += 1;
			i += 1;
		}
	}
	return { sequences, strays };
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
		if (this.valid && isUtf8(chunk)) return;
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

/** Decodes a byte stream chunk by chunk (multi-byte characters split across chunks are kept whole). */
export async function* decode(
	bytes: AsyncIterable<Buffer>,
	verdict: EncodingVerdict,
): AsyncGenerator<string> {
	const decoder = iconv.getDecoder(verdict.codec);
	for await (const chunk of bytes) {
		const text = decoder.write(chunk);
		if (text) yield text;
	}
	const rest = decoder.end();
	if (rest) yield rest;
}

/** What decoders put where a byte had no character; a cell holding it lost information. */
export const REPLACEMENT_CHARACTER = '\ufffd';
