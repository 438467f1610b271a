/**
 * The embedded journal: one append-only JSON-lines file, replayed into memory on open.
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

import { CompanyIndex } from './memoryIndex';
import {
	emptyCounts,
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

class JournalFile {
	private readonly companies = new Map<number, CompanyIndex>();
	readonly liveSessions = new Set<string>();
	private fd: number;
	recovery: JournalRecovery = { tornBytes: 0, tornFile: null };

	constructor(readonly dir: string) {
		fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
		fs.chmodSync(dir, 0o700);
		this.takeLock();
		const file = path.join(dir, JOURNAL_FILE_NAME);
		this.replay(file);
		this.fd = fs.openSync(file, 'a', 0o600);
		fs.chmodSync(file, 0o600);
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
		fs.writeSync(this.fd, JSON.stringify(line) + '\n');
		if (durable) fs.fsyncSync(this.fd);
		this.apply(line);
	}

	close(): void {
		fs.closeSync(this.fd);
		fs.rmSync(path.join(this.dir, LOCK_FILE_NAME), { force: true });
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

	private replay(file: string): void {
		if (!fs.existsSync(file)) return;
		const text = fs.readFileSync(file, 'utf8');
		const lines = text.split('\n');
		const last = lines.pop() ?? '';
		let goodLength = text.length - last.length;
		if (last !== '') this.quarantineTorn(file, last, goodLength);
		lines.forEach((raw, index) => {
			let line: Line;
			try {
				line = JSON.parse(raw) as Line;
			} catch {
				if (index === lines.length - 1) {
					// An unparsable final line is a torn append too (its newline made it to disk).
					goodLength -= raw.length + 1;
					this.quarantineTorn(file, raw, goodLength);
					return;
				}
				throw new Error(
					`The migration journal ${file} is damaged at line ${index + 1}: it is not valid JSON. Restore the file from a backup, or move it aside to start a new journal (the migrated records can then be found again by their source key).`,
				);
			}
			this.apply(line);
		});
		if (goodLength < text.length)
			fs.truncateSync(file, Buffer.byteLength(text.slice(0, goodLength)));
	}

	private quarantineTorn(file: string, torn: string, offset: number): void {
		const tornFile = `${file}.torn-${offset}`;
		fs.writeFileSync(tornFile, torn, { mode: 0o600 });
		this.recovery = { tornBytes: Buffer.byteLength(torn), tornFile };
	}

	private apply(line: Line): void {
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
				// Lines journaled before field prints existed carry neither member.
				index.applyEntry({
					...line.entry,
					fieldPrints: line.entry.fieldPrints ?? null,
					conflicts: line.entry.conflicts ?? null,
				});
				return;
			case 'watermark':
				index.watermarks.set(line.name, line.value);
				return;
		}
	}
}

function processIsAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** One writer per folder per process, shared by every handle opened on it. */
const openFiles = new Map<string, { file: JournalFile; handles: number }>();

export class FileJournalStore implements JournalStore {
	private readonly session = randomUUID();
	private closed = false;

	private constructor(
		private readonly file: JournalFile,
		readonly companyId: number,
	) {
		file.liveSessions.add(this.session);
	}

	/** Opens (creating when needed) the journal in `dir` for one target company. */
	static open(dir: string, companyId: number): FileJournalStore {
		const key = path.resolve(dir);
		let shared = openFiles.get(key);
		if (!shared) {
			shared = { file: new JournalFile(key), handles: 0 };
			openFiles.set(key, shared);
		}
		shared.handles += 1;
		return new FileJournalStore(shared.file, companyId);
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
			const record = this.index.mapped.get(key);
			if (record) found.set(key, { ...record });
		}
		return found;
	}

	async listMapped(): Promise<MappedRecord[]> {
		return [...this.index.mapped.values()].map((record) => ({ ...record }));
	}

	async listEntries(filter?: { runIds?: readonly string[] }): Promise<JournalEntry[]> {
		const runIds = filter?.runIds ? new Set(filter.runIds) : null;
		return this.index.entries
			.filter((entry) => !runIds || runIds.has(entry.runId))
			.map((entry) => ({ ...entry }));
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
		const key = this.file.dir;
		const shared = openFiles.get(key);
		if (!shared) return;
		shared.handles -= 1;
		if (shared.handles === 0) {
			openFiles.delete(key);
			shared.file.close();
		}
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
