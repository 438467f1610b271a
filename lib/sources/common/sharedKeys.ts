import type { FileReport } from '../../model';
import { IdIndex } from './idIndex';
import type { ChildRecord, PatientOwnedKey } from './profile';
import type { ReportBuilder } from './report';
import type { RowNames } from './rowNames';

interface Found {
	lines: Set<number>;
	patients: number;
}

/**
 * The `ownedKey` check of one child file (profile.ts): the file's records are parts of one record
 * per source ID (DentAdmin's treatments of a plan), so a source ID used by rows of two patients
 * would make one record of both downstream, one patient's part updating the other's. While the
 * file is read, each source ID keeps the accepted index of its first patient (an IdIndex, as the
 * duplicate-ID check keeps its IDs); a later patient makes it shared. The rows of a shared ID are
 * only known to be bad once the whole file is read, after earlier ones were accepted, so they are
 * set aside when the bundles are built (every checked row is a kept record then) and reported
 * with one error per shared ID.
 */
export class SharedKeyFinder {
	private owners: IdIndex | undefined = new IdIndex();
	private readonly shared = new Set<string>();
	private readonly found = new Map<string, Found>();

	constructor(
		/** The file's name in the report (its spec's name, the key of its records in a bundle). */
		readonly file: string,
		readonly check: PatientOwnedKey,
		private readonly tally: FileReport,
		/** The header of the ID's column; asked late, since a file's headers are known once it is read. */
		private readonly column: () => string,
		private readonly rowNames: RowNames,
	) {}

	/** Records of one row of the patient with accepted index `patient`. */
	note(patient: number, records: readonly ChildRecord[]): void {
		const owners = this.owners;
		if (!owners) return;
		for (const record of records) {
			const owner = owners.get(record.sourceId);
			if (owner === undefined) owners.set(record.sourceId, patient);
			else if (owner !== patient) this.shared.add(record.sourceId);
		}
	}

	/** The file is read: only the shared IDs are needed from here on. */
	fileRead(): void {
		this.owners = undefined;
	}

	/**
	 * One patient's records of the file without the rows of shared IDs. A row is set aside whole
	 * (all its records), as a quarantined row is.
	 */
	withoutShared(records: ChildRecord[]): ChildRecord[] {
		if (this.shared.size === 0) return records;
		const badLines = new Set<number>();
		const ids = new Set<string>();
		for (const record of records) {
			if (!this.shared.has(record.sourceId)) continue;
			ids.add(record.sourceId);
			if (record.origin) badLines.add(record.origin.line);
		}
		if (ids.size === 0) return records;
		for (const id of ids) {
			const entry = this.found.get(id) ?? { lines: new Set<number>(), patients: 0 };
			entry.patients += 1;
			for (const record of records)
				if (record.sourceId === id && record.origin) entry.lines.add(record.origin.line);
			this.found.set(id, entry);
		}
		return records.filter(
			(record) =>
				!this.shared.has(record.sourceId) && !(record.origin && badLines.has(record.origin.line)),
		);
	}

	/**
	 * After every bundle is built: one error per shared ID, on its first row, and its rows counted
	 * as quarantined instead of accepted. Messages name lines and counts, never the ID or a value.
	 */
	reportTo(report: ReportBuilder): void {
		const findings = [...this.found.values()]
			.map((entry) => ({ lines: [...entry.lines].sort((a, b) => a - b), patients: entry.patients }))
			.sort((a, b) => (a.lines[0] ?? 0) - (b.lines[0] ?? 0));
		// A row counts once, even if its records were of two shared IDs.
		const quarantined = new Set(findings.flatMap((finding) => finding.lines));
		this.tally.rowsAccepted -= quarantined.size;
		this.tally.rowsQuarantined += quarantined.size;
		for (const { lines, patients } of findings) {
			const { code, message } = this.check;
			report.issue(
				'error',
				this.file,
				lines[0] ?? 0,
				this.column(),
				code,
				message(patients, this.rowNames(lines, this.file)),
			);
		}
		this.found.clear();
	}
}
