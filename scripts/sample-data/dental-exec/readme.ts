import type { Defect } from '../dental-exec';

/** The sample's README: what it is, how it was made, and every deliberate defect by file and line. */
export function sampleReadme(
	opts: { patients: number; seed: number },
	defects: readonly Defect[],
): string {
	const rows = defects.map(
		(defect) => `| \`${defect.file}\` | ${defect.line} | ${defect.what} | ${defect.expected} |`,
	);
	return [
		'# Dental-Exec sample export (synthetic)',
		'',
		`Generated with \`npm run sample-data -- --source dental-exec --patients ${opts.patients} --seed ${opts.seed} --out <dir>\`;`,
		'the same options give the same bytes. Every name, phone number (555-01xx), email (example.com/.net/.org)',
		'and address is invented. "Today" for recency is fixed at 2026-11-01.',
		'',
		'What it holds: two locations, six providers (Dr. Klein inactive; the two hygienists share one',
		'mailbox), a referral pick-list, households sharing a home phone and a family email, active,',
		'inactive, archived and lapsed patients (lapsed ones with an open plan and no visit in 12+ months',
		'become leads), proposed, accepted, in-progress, completed and declined plans, claims, payments,',
		'recall and hygiene tasks (some with the interval only in the description, as older versions',
		'wrote it), notes with quoted newlines, HTML and RTF, lab cases with long prescriptions, and a few',
		'documents in `documents/` (one CBCT archive declared 60 MB in `SizeBytes`, over the upload limit;',
		'the file on disk is a small stand-in). `patients.csv` has an extra `PreferredContact` column the',
		'reader carries for the mapping step. Some `LastPaymentDate` cells are `00/00/0000` and a few `DOB`',
		'cells are `01/01/1900`: placeholders the reader treats as missing (info entries).',
		'',
		'## Deliberate defects',
		'',
		'| file | line | defect | what the validation report shows |',
		'|---|---|---|---|',
		...rows,
		'',
		'Every other row is accepted.',
		'',
		'Not planted but drawn: a few young children get visits (and claims) before their date of birth',
		'(the generator draws visits and birth dates apart). The reader reports each such first visit,',
		'appointment and claim as a warning dates-out-of-order (columns FirstVisitDate, StartDateTime,',
		'SubmittedDate) and accepts the row with its dates as written.',
		'',
	].join('\n');
}
