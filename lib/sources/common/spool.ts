import {
	appendFileSync,
	mkdirSync,
	readFileSync,
	readdirSync,
	rmSync,
	unlinkSync,
	writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Patient, PatientBundle } from '../../model';
import type { ChildRecord } from './profile';

/**
 * The spool of a streamed read: one pass over the export partitions the accepted patients into
 * pages of `pageSize` (patients-file order) on disk, each page's child rows appended to its file
 * as they are read, so memory holds one small buffer per page instead of the export. After the
 * read every page file is assembled into its patient bundles, one JSON bundle per line, in the
 * order the unpaged read yields them. A page is then read back alone (`readSpoolPage`).
 *
 * The folder and its files are owner-only: they hold patient values, like the journal next to it.
 */
export interface SpoolOptions {
	/** The work folder of the spool; created (owner-only) and emptied of earlier pages. */
	dir: string;
	/** Accepted patients per page (the last page may hold fewer). */
	pageSize: number;
}

/** What a streamed read leaves on disk: `bundles[i]` is the number of bundles on page i. */
export interface SpoolResult {
	dir: string;
	pageSize: number;
	bundles: number[];
}

/**
 * A page's buffered lines are appended to its file past this size: few writes per page.
 */
const FLUSH_BYTES = 16 * 1024;
/**
 * All pages' buffers together stay under this: child files are not in patient order, so every
 * page's buffer fills at once (2,000 pages of 16 KB at 100,000 patients). Past it the largest
 * buffers are written first, until half of it is left.
 */
const TOTAL_BUFFER_BYTES = 4 * 1024 * 1024;

const rawFile = (dir: string, page: number) =>
	join(dir, `raw-${String(page).padStart(6, '0')}.ndjson`);
const pageFile = (dir: string, page: number) =>
	join(dir, `page-${String(page).padStart(6, '0')}.ndjson`);

type RawLine = ['p', string, Patient] | ['c', string, string, ...ChildRecord[]];

/** Writes the raw partitions during the read; `assemble` turns them into pages of bundles. */
export class SpoolWriter {
	private readonly buffers: string[][] = [];
	private readonly buffered: number[] = [];
	private totalBuffered = 0;
	private accepted = 0;

	constructor(readonly options: SpoolOptions) {
		if (!Number.isInteger(options.pageSize) || options.pageSize < 1)
			throw new RangeError('The spool page size must be a whole number of 1 or more.');
		mkdirSync(options.dir, { recursive: true, mode: 0o700 });
		for (const name of readdirSync(options.dir))
			if (/^(raw|page)-\d+\.ndjson$/.test(name)) unlinkSync(join(options.dir, name));
	}

	/**
	 * An accepted patient; `index` is its accepted index (patients-file order), which the read's
	 * patient index keeps, so the spool holds no per-patient entry of its own.
	 */
	patient(index: number, patientId: string, patient: Patient): void {
		this.accepted = Math.max(this.accepted, index + 1);
		this.write(this.pageOf(index), ['p', patientId, patient]);
	}

	/** Child records of the accepted patient with accepted index `index`. */
	child(index: number, file: string, patientId: string, records: ChildRecord[]): void {
		this.write(this.pageOf(index), ['c', file, patientId, ...records]);
	}

	private pageOf(index: number): number {
		return Math.floor(index / this.options.pageSize);
	}

	private write(page: number, line: RawLine): void {
		// One string per line, newlines added at the flush: no concatenated string held per line.
		const text = JSON.stringify(line);
		(this.buffers[page] ??= []).push(text);
		this.buffered[page] = (this.buffered[page] ?? 0) + text.length + 1;
		this.totalBuffered += text.length + 1;
		if (this.buffered[page] >= FLUSH_BYTES) this.flush(page);
		if (this.totalBuffered > TOTAL_BUFFER_BYTES) this.flushLargest();
	}

	private flushLargest(): void {
		const pages = this.buffered
			.map((bytes, page) => [bytes, page] as const)
			.filter(([bytes]) => bytes > 0)
			.sort((a, b) => b[0] - a[0]);
		for (const [, page] of pages) {
			if (this.totalBuffered <= TOTAL_BUFFER_BYTES / 2) return;
			this.flush(page);
		}
	}

	private flush(page: number): void {
		const lines = this.buffers[page];
		if (!lines || lines.length === 0) return;
		appendFileSync(rawFile(this.options.dir, page), `${lines.join('\n')}\n`, { mode: 0o600 });
		this.buffers[page] = [];
		this.totalBuffered -= this.buffered[page];
		this.buffered[page] = 0;
	}

	/**
	 * Assembles every page from its raw partition, in page order, with the read's own assembly
	 * (`keep` drops bundles a modified-since read leaves out, `finish` adds what the source adds
	 * once the whole export is read), and removes the raw files.
	 */
	assemble(
		build: (patient: Patient, children: Map<string, ChildRecord[]>) => PatientBundle | null,
		finish: (bundles: PatientBundle[]) => PatientBundle[] = (bundles) => bundles,
	): SpoolResult {
		const { dir, pageSize } = this.options;
		const pages = Math.ceil(this.accepted / pageSize);
		const bundles: number[] = [];
		for (let page = 0; page < pages; page += 1) {
			this.flush(page);
			const patients = new Map<
				string,
				{ patient: Patient; children: Map<string, ChildRecord[]> }
			>();
			const raw = rawFile(dir, page);
			for (const text of readFileSync(raw, 'utf8').split('\n')) {
				if (text === '') continue;
				const line = JSON.parse(text) as RawLine;
				if (line[0] === 'p') {
					patients.set(line[1], { patient: line[2], children: new Map() });
					continue;
				}
				const [, file, patientId, ...records] = line;
				const children = (patients.get(patientId) as { children: Map<string, ChildRecord[]> })
					.children;
				const list = children.get(file) ?? [];
				list.push(...records);
				children.set(file, list);
			}
			const built: PatientBundle[] = [];
			for (const { patient, children } of patients.values()) {
				const bundle = build(patient, children);
				if (bundle) built.push(bundle);
			}
			const finished = finish(built);
			writeFileSync(pageFile(dir, page), finished.map((b) => `${JSON.stringify(b)}\n`).join(''), {
				mode: 0o600,
			});
			unlinkSync(raw);
			bundles.push(finished.length);
		}
		return { dir, pageSize, bundles };
	}
}

/** The bundles of one page of a spool, in the order the unpaged read yields them. */
export function readSpoolPage(dir: string, page: number): PatientBundle[] {
	return readFileSync(pageFile(dir, page), 'utf8')
		.split('\n')
		.filter((text) => text !== '')
		.map((text) => JSON.parse(text) as PatientBundle);
}

/** Removes a spool's folder once its pages are committed (or abandoned). */
export function removeSpool(dir: string): void {
	rmSync(dir, { recursive: true, force: true });
}
