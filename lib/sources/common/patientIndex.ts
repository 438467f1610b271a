import { IdIndex } from './idIndex';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Every patient ID of the patients file (all pages), for the whole-export checks: a later row with
 * a known ID is a repeated ID, a child of an unknown ID an orphan, a child of a quarantined
 * patient quarantined with it. One entry per patient in flat arrays (idIndex.ts): the patient's
 * accepted index (patients-file order of accepted rows, which is also its spool page) or -1 when
 * its row was quarantined, and the accepted patient's date of birth as the number YYYYMMDD (for
 * the child files' PATIENT_BIRTH_DATE date order).
 */
export class PatientIndex {
	private readonly ids = new IdIndex();
	private birthDays = new Int32Array(1024);
	/** A date of birth that is not YYYY-MM-DD (the model allows none; kept exact anyway). */
	private readonly otherBirthDates = new Map<number, string>();
	private accepted = 0;

	/** Accepted patients so far. */
	get acceptedCount(): number {
		return this.accepted;
	}

	has(patientId: string): boolean {
		return this.ids.has(patientId);
	}

	/** The patient's accepted index, -1 when its row was quarantined, undefined when unknown. */
	indexOf(patientId: string): number | undefined {
		return this.ids.get(patientId);
	}

	/** Records an accepted patient row; returns its accepted index. */
	accept(patientId: string, birthDate: string | undefined): number {
		const index = this.accepted;
		this.accepted += 1;
		this.ids.set(patientId, index);
		if (index >= this.birthDays.length) {
			const grown = new Int32Array(this.birthDays.length * 2);
			grown.set(this.birthDays);
			this.birthDays = grown;
		}
		const parts = birthDate === undefined ? null : ISO_DATE.exec(birthDate);
		if (parts) this.birthDays[index] = Number(parts[1] + parts[2] + parts[3]);
		else if (birthDate !== undefined) {
			this.birthDays[index] = -1;
			this.otherBirthDates.set(index, birthDate);
		}
		return index;
	}

	/** Records a quarantined patient row (an ID seen before keeps what it had). */
	quarantine(patientId: string): void {
		if (!this.ids.has(patientId)) this.ids.set(patientId, -1);
	}

	birthDateOf(patientId: string): string | undefined {
		const index = this.ids.get(patientId);
		if (index === undefined || index < 0) return undefined;
		const day = this.birthDays[index];
		if (day === 0) return undefined;
		if (day < 0) return this.otherBirthDates.get(index);
		const text = String(day).padStart(8, '0');
		return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6)}`;
	}
}
