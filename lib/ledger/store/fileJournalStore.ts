/**
 * The embedded journal: one append-only JSON-lines file, replayed on open into an index of where
 * each entry lies in it (memoryIndex.ts).
 *
 * Why a plain file: n8n installs community packages with install scripts off and may run a
 * Node ABI other than the one we built for, so a native database (better-sqlite3) cannot be
 * relied on, and `node:sqlite` does not exist on Node 20. An append-only log needs neither:
 * each intent and each outcome of a write is one line written and fsync'ed before the next
 * Pipedrive write, so after a crash the file holds every outcome that was reported and every
 * intent that might have landed (outcomes that wrote nothing, `unchanged` and held back, skip
 * the fsync: a re-run finds them again). A crash mid-append can leave a torn last line: it is moved to a
 * `.torn` file beside the journal and reported in `recovery`, never silently merged or lost.
 * The file is never compacted behind the user's back.
 *
 * The file (0600, folder 0700) holds every company the folder was used for; a handle sees
 * only its own company. One process owns the file at a time (a lock file names it); handles
 * inside that process share one writer, and each handle is a session whose intents count as
 * live until it closes.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { CompanyIndex, mappedRecordOf, type LineSpan, type MappedSlot } from './memoryIndex';
import {
	collectBatches,
	emptyCounts,
	JOURNAL_BATCH,
	type ClaimResult,
	type Intent,
	type JournalEntry,
	type JournalStore,
	type MappedRecord,
	type NewEntry,
	type RunKind,
	type RunRecord,
	type RunStatus,
} from './journalStore';

export const JOURNAL_FILE_NAME = 'migration-journal.jsonl';
const LOCK_FILE_NAME = 'migration-journal.lock';

type Line =
	| { t: 'run'; c: number; run: Omit<RunRecord, 'counts'> }
	| {
			t: 'runState';
			c: number;
			id: string;
			status: RunStatus;
			stopReason: string | null;
			endedAt: string | null;
	  }
	| { t: 'intent'; c: number; session: string; intent: Intent }
	| { t: 'unsent'; c: number; session: string; runId: string; sourceKey: string }
	| { t: 'entry'; c: number; entry: JournalEntry }
	| { t: 'watermark'; c: number; name: string; value: string };

/** What replay found that a person should know about. */
export interface JournalRecovery {
	/** Bytes of a torn last line, moved to `tornFile`; 0 when the file ended cleanly. */
	tornBytes: number;
	tornFile: string | null;
}

/** How an open found the journal's state: parsed from disk, only the tail another process appended, or kept in memory. */
export interface JournalReplay {
	from: 'disk' | 'tail' | 'memory';
	/** Lines parsed by this open (0 when the state was kept in memory). */
	linesParsed: number;
}

/**
 * Where this process left the file when its last handle closed: on the next open, the same file
 * (device, inode), the same size and mtime and the same closing bytes mean nobody changed it.
 */
interface FileMark {
	dev: bigint;
	ino: bigint;
	size: bigint;
	mtimeNs: bigint;
	/** The file's last bytes (a rewrite in place within one mtime tick shows here). */
	tail: Buffer;
	/** Lines in the file, so a damaged line in an appended tail is named by its line number. */
	lines: number;
}

const TAIL_CHECK_BYTES = 256;
const READ_CHUNK_BYTES = 1 << 20;

/**
 * One journal file's state in this process. Kept between handles (a Commit page opens and closes
 * the journal once per page; replaying the whole file each time was quadratic in the export):
 * when the file is as this process left it the index is reused, when it only grew the new tail
 * is replayed, anything else replays it all.
 */
class JournalFile {
	private readonly companies = new Map<number, CompanyIndex>();
	readonly liveSessions = new Set<string>();
	handles = 0;
	private fd: number | null = null;
	/** The file's size in bytes while it is open: where the next appended line starts. */
	private size = 0;
	private mark: FileMark | null = null;
	private lines = 0;
	/** Reused by `readEntry`; grown to the longest line read. */
	private readBuffer = Buffer.alloc(64 * 1024);
	recovery: JournalRecovery = { tornBytes: 0, tornFile: null };

	constructor(readonly dir: string) {}

	private get file(): string {
		return path.join(this.dir, JOURNAL_FILE_NAME);
	}

	get isOpen(): boolean {
		return this.fd !== null;
	}

	/** Takes the lock, brings the index up to the file and opens the writer. */
	open(): JournalReplay {
		fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
		fs.chmodSync(this.dir, 0o700);
		this.takeLock();
		try {
			const replay = this.catchUp();
			// Read as well as appended: the index keeps where each entry's line is, not the entry.
			this.fd = fs.openSync(this.file, 'a+', 0o600);
			this.size = fs.fstatSync(this.fd).size;
			fs.chmodSync(this.file, 0o600);
			return replay;
		} catch (error) {
			this.forget();
			fs.rmSync(path.join(this.dir, LOCK_FILE_NAME), { force: true });
			throw error;
		}
	}

	company(companyId: number): CompanyIndex {
		let index = this.companies.get(companyId);
		if (!index) {
			index = new CompanyIndex();
			this.companies.set(companyId, index);
		}
		return index;
	}

	/** Appends one line and (when `durable`) forces it to disk before the caller goes on to Pipedrive. */
	append(line: Line, durable = true): void {
		if (this.fd === null) throw new Error('The migration journal is closed; open it again.');
		const text = JSON.stringify(line);
		const span = { at: this.size, length: Buffer.byteLength(text) };
		fs.writeSync(this.fd, text + '\n');
		if (durable) fs.fsyncSync(this.fd);
		this.size += span.length + 1;
		this.lines += 1;
		this.apply(line, span);
	}

	/** The entry journaled on the line at `span` (a position the index took from this file). */
	readEntry(span: LineSpan): JournalEntry {
		if (this.fd === null) throw new Error('The migration journal is closed; open it again.');
		if (this.readBuffer.length < span.length) this.readBuffer = Buffer.alloc(span.length * 2);
		const read = fs.readSync(this.fd, this.readBuffer, 0, span.length, span.at);
		const line = JSON.parse(this.readBuffer.toString('utf8', 0, read)) as Line;
		if (line.t !== 'entry')
			throw new Error(
				`The migration journal ${this.file} changed under this process (no entry at byte ${span.at}); open the journal again.`,
			);
		return withDefaults(line.entry);
	}

	close(): void {
		if (this.fd === null) return;
		const stat = fs.fstatSync(this.fd, { bigint: true });
		fs.closeSync(this.fd);
		this.fd = null;
		this.mark = {
			dev: stat.dev,
			ino: stat.ino,
			size: stat.size,
			mtimeNs: stat.mtimeNs,
			tail: readTail(this.file, stat.size),
			lines: this.lines,
		};
		fs.rmSync(path.join(this.dir, LOCK_FILE_NAME), { force: true });
	}

	private forget(): void {
		this.companies.clear();
		this.mark = null;
		this.lines = 0;
	}

	private catchUp(): JournalReplay {
		this.recovery = { tornBytes: 0, tornFile: null };
		const mark = this.mark;
		this.mark = null;
		let stat: fs.BigIntStats;
		try {
			stat = fs.statSync(this.file, { bigint: true });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
			this.forget();
			return { from: 'disk', linesParsed: 0 };
		}
		const sameFile =
			mark !== null &&
			stat.dev === mark.dev &&
			stat.ino === mark.ino &&
			stat.size >= mark.size &&
			readTail(this.file, mark.size).equals(mark.tail);
		if (sameFile && stat.size === mark.size && stat.mtimeNs === mark.mtimeNs)
			return { from: 'memory', linesParsed: 0 };
		if (sameFile && stat.size > mark.size)
			return { from: 'tail', linesParsed: this.replay(Number(mark.size)) };
		this.forget();
		return { from: 'disk', linesParsed: this.replay(0) };
	}

	private takeLock(): void {
		const lockFile = path.join(this.dir, LOCK_FILE_NAME);
		try {
			const holder = Number(fs.readFileSync(lockFile, 'utf8').trim());
			if (Number.isInteger(holder) && holder !== process.pid && processIsAlive(holder)) {
				throw new Error(
					`The migration journal in ${this.dir} is in use by process ${holder}. Wait for that run to finish, or point this run at another journal folder.`,
				);
			}
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		}
		fs.writeFileSync(lockFile, String(process.pid), { mode: 0o600 });
	}

	/**
	 * Applies every line from byte `start` (a line start) to the end, a chunk at a time so a large
	 * journal is never held whole. Returns the lines parsed. A torn end (no newline, or an
	 * unparsable last line) is moved aside and the file truncated before it; an unparsable line
	 * before the last is damage and refused.
	 */
	private replay(start: number): number {
		const fd = fs.openSync(this.file, 'r');
		let parsed = 0;
		/** An unparsable line, torn only if no line follows it. */
		let bad: { raw: string; at: number; lineNumber: number } | null = null;
		let carry = Buffer.alloc(0);
		let carryAt = start;
		try {
			const chunk = Buffer.alloc(READ_CHUNK_BYTES);
			let position = start;
			for (;;) {
				const read = fs.readSync(fd, chunk, 0, chunk.length, position);
				if (read === 0) break;
				position += read;
				const data =
					carry.length > 0
						? Buffer.concat([carry, chunk.subarray(0, read)])
						: chunk.subarray(0, read);
				let lineStart = 0;
				for (
					let newline = data.indexOf(10);
					newline !== -1;
					newline = data.indexOf(10, lineStart)
				) {
					if (bad) throw this.damaged(bad.lineNumber);
					const raw = data.toString('utf8', lineStart, newline);
					const at = carryAt + lineStart;
					const span = { at, length: newline - lineStart };
					this.lines += 1;
					lineStart = newline + 1;
					let line: Line;
					try {
						line = JSON.parse(raw) as Line;
					} catch {
						bad = { raw, at, lineNumber: this.lines };
						continue;
					}
					parsed += 1;
					this.apply(line, span);
				}
				carry = Buffer.from(data.subarray(lineStart));
				carryAt += lineStart;
			}
		} finally {
			fs.closeSync(fd);
		}
		// A crash mid-append leaves one torn line: no newline, or (its newline on disk) not JSON.
		const tornAt = bad ? bad.at : carry.length > 0 ? carryAt : null;
		if (tornAt !== null) {
			if (bad) this.lines -= 1;
			const torn = readRange(this.file, tornAt);
			const tornFile = `${this.file}.torn-${tornAt}`;
			fs.writeFileSync(tornFile, torn, { mode: 0o600 });
			this.recovery = { tornBytes: torn.length, tornFile };
			fs.truncateSync(this.file, tornAt);
		}
		return parsed;
	}

	private damaged(lineNumber: number): Error {
		return new Error(
			`The migration journal ${this.file} is damaged at line ${lineNumber}: it is not valid JSON. Restore the file from a backup, or move it aside to start a new journal (the migrated records can then be found again by their source key).`,
		);
	}

	private apply(line: Line, span: LineSpan): void {
		const index = this.company(line.c);
		switch (line.t) {
			case 'run':
				index.runs.set(line.run.id, { ...line.run, counts: emptyCounts() });
				return;
			case 'runState': {
				const run = index.runs.get(line.id);
				if (run)
					Object.assign(run, {
						status: line.status,
						stopReason: line.stopReason,
						endedAt: line.endedAt,
					});
				return;
			}
			case 'intent':
				index.intents.set(line.intent.sourceKey, {
					...line.intent,
					session: line.session,
				});
				return;
			case 'unsent': {
				const open = index.intents.get(line.sourceKey);
				if (open?.session === line.session && open.runId === line.runId)
					index.intents.delete(line.sourceKey);
				return;
			}
			case 'entry':
				index.applyEntry(withDefaults(line.entry), span);
				return;
			case 'watermark':
				index.watermarks.set(line.name, line.value);
				return;
		}
	}
}

/** Lines journaled before field prints existed carry neither member. */
function withDefaults(entry: JournalEntry): JournalEntry {
	return { ...entry, fieldPrints: entry.fieldPrints ?? null, conflicts: entry.conflicts ?? null };
}

function processIsAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** The last `TAIL_CHECK_BYTES` bytes before `size` (fewer when the file is shorter). */
function readTail(file: string, size: bigint): Buffer {
	const end = Number(size);
	const start = Math.max(0, end - TAIL_CHECK_BYTES);
	return readRange(file, start, end);
}

/** Bytes `start`..`end` (the end of the file when omitted). */
function readRange(file: string, start: number, end?: number): Buffer {
	const fd = fs.openSync(file, 'r');
	try {
		const stop = end ?? fs.fstatSync(fd).size;
		const bytes = Buffer.alloc(Math.max(0, stop - start));
		const read = bytes.length > 0 ? fs.readSync(fd, bytes, 0, bytes.length, start) : 0;
		return bytes.subarray(0, read);
	} finally {
		fs.closeSync(fd);
	}
}

/**
 * Every journal file this process has opened, by real path: one writer per file shared by the
 * handles open on it, and its index kept after the last handle closes (see `JournalFile`).
 */
const journalFiles = new Map<string, JournalFile>();

export class FileJournalStore implements JournalStore {
	private readonly session = randomUUID();
	private closed = false;

	private constructor(
		private readonly file: JournalFile,
		readonly companyId: number,
		/** How this open found the file's state (`memory` for a file other handles hold open). */
		readonly replay: JournalReplay,
	) {
		file.liveSessions.add(this.session);
	}

	/** Opens (creating when needed) the journal in `dir` for one target company. */
	static open(dir: string, companyId: number): FileJournalStore {
		fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
		const key = fs.realpathSync(dir);
		let file = journalFiles.get(key);
		if (!file) {
			file = new JournalFile(key);
			journalFiles.set(key, file);
		}
		const replay: JournalReplay = file.isOpen ? { from: 'memory', linesParsed: 0 } : file.open();
		file.handles += 1;
		return new FileJournalStore(file, companyId, replay);
	}

	/** What replay repaired when the file was opened (a torn last line after a crash). */
	get recovery(): JournalRecovery {
		return this.file.recovery;
	}

	private get index(): CompanyIndex {
		if (this.closed)
			throw new Error('This migration journal handle is closed; open the journal again.');
		return this.file.company(this.companyId);
	}

	async startRun(run: { kind: RunKind; specHash: string; id?: string }): Promise<RunRecord> {
		const id = run.id ?? randomUUID();
		if (this.index.runs.has(id))
			throw new Error(`Run ${id} already exists in the journal; give a new run id.`);
		this.file.append({
			t: 'run',
			c: this.companyId,
			run: {
				id,
				companyId: this.companyId,
				kind: run.kind,
				specHash: run.specHash,
				startedAt: new Date().toISOString(),
				endedAt: null,
				status: 'running',
				stopReason: null,
			},
		});
		return this.snapshotRun(id);
	}

	async resumeRun(runId: string): Promise<RunRecord> {
		this.requireRun(runId);
		this.file.append({
			t: 'runState',
			c: this.companyId,
			id: runId,
			status: 'running',
			stopReason: null,
			endedAt: null,
		});
		return this.snapshotRun(runId);
	}

	async endRun(
		runId: string,
		outcome: { status: Exclude<RunStatus, 'running'>; stopReason?: string },
	): Promise<RunRecord> {
		this.requireRun(runId);
		this.file.append({
			t: 'runState',
			c: this.companyId,
			id: runId,
			status: outcome.status,
			stopReason: outcome.stopReason ?? null,
			endedAt: new Date().toISOString(),
		});
		return this.snapshotRun(runId);
	}

	async getRun(runId: string): Promise<RunRecord | null> {
		return this.index.runs.has(runId) ? this.snapshotRun(runId) : null;
	}

	async listRuns(): Promise<RunRecord[]> {
		return [...this.index.runs.keys()].map((id) => this.snapshotRun(id));
	}

	async claimIntent(intent: Omit<Intent, 'at'>): Promise<ClaimResult> {
		const existing = this.index.intents.get(intent.sourceKey);
		if (
			existing &&
			existing.session !== this.session &&
			this.file.liveSessions.has(existing.session)
		) {
			return { status: 'busy' };
		}
		this.file.append({
			t: 'intent',
			c: this.companyId,
			session: this.session,
			intent: { ...intent, at: new Date().toISOString() },
		});
		if (!existing) return { status: 'claimed' };
		const { session: _session, ...previous } = existing;
		return { status: 'stale', previous };
	}

	async openIntents(): Promise<Intent[]> {
		return [...this.index.intents.values()].map(({ session: _session, ...intent }) => intent);
	}

	async settleUnsent(intent: { runId: string; sourceKey: string }): Promise<boolean> {
		const open = this.index.intents.get(intent.sourceKey);
		if (open?.session !== this.session || open.runId !== intent.runId) return false;
		// Not forced to disk: if a crash loses this line the intent stays open, and the resume
		// looks the write up as before (safe, only dearer).
		this.file.append({ t: 'unsent', c: this.companyId, session: this.session, ...intent }, false);
		return true;
	}

	async record(entry: NewEntry): Promise<JournalEntry> {
		this.requireRun(entry.runId);
		const full: JournalEntry = {
			...entry,
			fieldPrints: entry.fieldPrints ?? null,
			conflicts: entry.conflicts ?? null,
			seq: this.index.lastSeq + 1,
			at: entry.at ?? new Date().toISOString(),
		};
		// Outcomes that wrote nothing (unchanged, held back) are found again by a re-run if a crash
		// loses them; the next fsync'ed line makes them durable anyway. Everything else waits for disk.
		const wroteNothing = full.action === 'unchanged' || full.action === 'skipped';
		this.file.append({ t: 'entry', c: this.companyId, entry: full }, !wroteNothing);
		return full;
	}

	async lookup(sourceKeys: readonly string[]): Promise<Map<string, MappedRecord>> {
		const found = new Map<string, MappedRecord>();
		for (const key of sourceKeys) {
			const slot = this.index.mapped.get(key);
			if (slot) found.set(key, this.mappedRecord(slot));
		}
		return found;
	}

	async listMapped(): Promise<MappedRecord[]> {
		return collectBatches(this.mappedBatches());
	}

	async listEntries(filter?: { runIds?: readonly string[] }): Promise<JournalEntry[]> {
		return collectBatches(this.entryBatches(filter));
	}

	async *entryBatches(filter?: { runIds?: readonly string[] }): AsyncGenerator<JournalEntry[]> {
		const runIds = filter?.runIds ? new Set(filter.runIds) : null;
		const { entryAt, entryLength, entryRun } = this.index;
		let batch: JournalEntry[] = [];
		for (let i = 0; i < entryAt.length; i++) {
			if (runIds && !runIds.has(entryRun[i])) continue;
			batch.push(this.file.readEntry({ at: entryAt[i], length: entryLength[i] }));
			if (batch.length === JOURNAL_BATCH) {
				yield batch;
				batch = [];
			}
		}
		if (batch.length > 0) yield batch;
	}

	async *mappedBatches(): AsyncGenerator<MappedRecord[]> {
		let batch: MappedRecord[] = [];
		for (const slot of this.index.mapped.values()) {
			batch.push(this.mappedRecord(slot));
			if (batch.length === JOURNAL_BATCH) {
				yield batch;
				batch = [];
			}
		}
		if (batch.length > 0) yield batch;
	}

	async getWatermark(name: string): Promise<string | null> {
		return this.index.watermarks.get(name) ?? null;
	}

	async setWatermark(name: string, value: string): Promise<void> {
		this.file.append({ t: 'watermark', c: this.companyId, name, value });
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		this.file.liveSessions.delete(this.session);
		this.file.handles -= 1;
		if (this.file.handles === 0) this.file.close();
	}

	private mappedRecord(slot: MappedSlot): MappedRecord {
		return mappedRecordOf(this.file.readEntry(slot), slot.createdByRun);
	}

	private requireRun(runId: string): RunRecord {
		const run = this.index.runs.get(runId);
		if (!run)
			throw new Error(
				`Run ${runId} is not in this company's journal; check the run id and the target account.`,
			);
		return run;
	}

	private snapshotRun(runId: string): RunRecord {
		const run = this.requireRun(runId);
		return { ...run, counts: { ...run.counts } };
	}
}
