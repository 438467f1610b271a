import { intervalFromDescription } from '../../../lib/sources/dental-exec';
import { fileReport, issuesOf, PATIENTS, readFiles } from './readHelpers';

const REFERRALS = 'Code,Label,Kind\nFAM,Family or friend,Patient\nWEB,Website,Marketing\n';

describe('Dental-Exec profile', () => {
	it('reads a full patient row into the canonical patient', async () => {
		const { bundles, report } = await readFiles({
			'referral_sources.csv': REFERRALS,
			'patients.csv': [
				'Patient ID,Last_Name,first name,DOB,Gender,Email,Home Phone,Cell,Address1,City,State,Zip,PracticeID,PrimaryProviderID,Status,ReferralSource,GuarantorID,InsuranceCarrier,PolicyNumber,OutstandingBalance,AllergyFlag,DrugInteractionFlag,PremedFlag,CreatedAt,ModifiedAt,Favourite Colour',
				'000042,García,Zoë,07/04/1985,F,zoe@example.test;family@example.test,(973) 555-0100,(201) 555-0199,12 Oak St,Montclair,NJ,07042,1,10,Active,Website,000041,Delta Dental,ABC123,"$1,050.00",Y,N,,01/15/2020 9:05 AM,2026-10-30 16:45,Teal',
			].join('\n'),
		});
		expect(issuesOf(report, 'patients.csv')).toEqual([]);
		expect(fileReport(report, 'patients.csv').extraColumns).toEqual(['Favourite Colour']);
		expect(bundles[0].patient).toEqual({
			sourceSystem: 'dental-exec',
			sourceId: '000042',
			sourceKey: 'dental-exec:patient:000042',
			origin: { file: 'patients.csv', line: 2 },
			extra: { 'Favourite Colour': 'Teal' },
			modifiedAt: '2026-10-30T20:45:00Z',
			firstName: 'Zoë',
			lastName: 'García',
			birthDate: '1985-07-04',
			gender: 'F',
			emails: ['zoe@example.test', 'family@example.test'],
			phones: [
				{ value: '(973) 555-0100', label: 'home' },
				{ value: '(201) 555-0199', label: 'mobile' },
			],
			address: { street: '12 Oak St', city: 'Montclair', region: 'NJ', postalCode: '07042' },
			practiceKey: 'dental-exec:practice:1',
			primaryProviderKey: 'dental-exec:provider:10',
			status: 'active',
			referralSource: 'WEB',
			guarantorKey: 'dental-exec:patient:000041',
			insurance: { carrier: 'Delta Dental', policyNumber: 'ABC123' },
			billing: { outstandingBalance: { amount: '1050.00', currency: 'USD' } },
			medicalAlerts: { allergy: true, drugInteraction: false, premedication: false },
			createdAt: '2020-01-15T14:05:00Z',
		});
	});

	it('keeps a referral outside the pick-list as free text with a warning', async () => {
		const { bundles, report } = await readFiles({
			'referral_sources.csv': REFERRALS,
			'patients.csv': 'PatientID,LastName,ReferralSource\n1,A,Billboard\n',
		});
		expect(bundles[0].patient.referralSource).toBe('Billboard');
		expect(issuesOf(report, 'patients.csv')).toEqual([
			{
				severity: 'warning',
				file: 'patients.csv',
				line: 2,
				column: 'ReferralSource',
				code: 'unknown-referral-source',
			},
		]);
	});

	it('applies a user column map over the built-in synonyms', async () => {
		const { bundles, report } = await readFiles(
			{ 'patients.csv': 'PatientID,LastName,Handy,Surname2\n1,A,555-0101,Z\n' },
			{ columnMap: { 'PATIENTS.CSV': { Handy: 'MobilePhone' } } },
		);
		expect(bundles[0].patient.phones).toEqual([{ value: '555-0101', label: 'mobile' }]);
		expect(fileReport(report, 'patients.csv').extraColumns).toEqual(['Surname2']);
	});

	it('extracts recall and hygiene intervals from tasks, from the column or the description', async () => {
		const { bundles } = await readFiles({
			'patients.csv': PATIENTS,
			'tasks.csv': [
				'TaskID,PatientID,Type,DueDate,IntervalMonths,Status,Description',
				'T1,1001,Recall,05/01/2027,6,Open,6 month recall',
				'T2,1001,Hygiene,02/01/2027,,Open,3 month perio maintenance - call to schedule',
				'T3,1002,Recall,02/01/2027,,Open,Recall q4m',
				'T4,1002,FollowUp,11/08/2026,,Done,Post-op check in 2 months',
				'T5,1003,Reminder,11/08/2026,,Open,Bring x-rays',
			].join('\n'),
		});
		expect(
			bundles.flatMap((bundle) =>
				bundle.tasks.map((task) => [
					task.sourceId,
					task.type,
					task.intervalMonths,
					task.dueDate,
					task.status,
				]),
			),
		).toEqual([
			['T1', 'recall', 6, '2027-05-01', 'open'],
			['T2', 'hygiene', 3, '2027-02-01', 'open'],
			['T3', 'recall', 4, '2027-02-01', 'open'],
			['T4', 'follow-up', undefined, '2026-11-08', 'done'],
			['T5', 'other', undefined, '2026-11-08', 'open'],
		]);
	});

	it.each([
		['6 month recall', 6],
		['12-month exam', 12],
		['every 3 months', 3],
		['q4m', 4],
		['Recall Q6 months', 6],
		['call patient', undefined],
		['99 months', undefined],
	])('reads the interval in %j as %s', (description, months) => {
		expect(intervalFromDescription(description)).toBe(months);
	});

	it('reads appointments, plans, claims, payments, notes, lab cases and documents', async () => {
		const { bundles, report } = await readFiles({
			'patients.csv': PATIENTS,
			'appointments.csv':
				'AppointmentID,PatientID,StartDateTime,DurationMinutes,AppointmentType,Status,ProcedureCodes\nA1,1001,03/10/2026 02:30 PM,60,Hygiene,Completed,D0120;d1110;X99\nA2,1001,2026-11-20 09:00,30,Whitening consult,NoShow,\n',
			'treatment_plans.csv':
				'PlanID,PatientID,Status,EstimatedFee,FinalFee,Currency,ProcedureCodes\nTP1,1001,InProgress,"$2,875.00",,usd,D3330;D2740\nTP2,1002,,100,,,\n',
			'claims.csv':
				'ClaimID,PatientID,Status,BilledAmount,PaidAmount\nC1,1001,Paid,245.00,196.00\n',
			'payments.csv': 'PaymentID,PatientID,Amount,PlanID\nP1,1001,-$20.00,TP1\n',
			'notes.csv':
				'NoteID,PatientID,Text,CreatedAt\nN1,1001,"<p>Discussed <b>#30</b>:</p><ul><li>Crown</li></ul>",03/10/2026 15:00\nN2,1001,"{\\rtf1\\ansi Pre-auth sent.\\par Waiting.}",\n',
			'lab_cases.csv':
				'LabCaseID,PatientID,Lab,Status,Prescription\nL1,1001,Keystone,InProgress,"Rx: zirconia crown, shade A2"\n',
		});
		expect(
			report.issues.filter(
				(issue) => issue.code !== 'missing-optional-column' && issue.code !== 'file-absent',
			),
		).toEqual([
			expect.objectContaining({
				file: 'treatment_plans.csv',
				line: 3,
				column: 'Status',
				code: 'plan-status-assumed',
			}),
			{
				severity: 'warning',
				file: 'payments.csv',
				line: 2,
				column: 'Amount',
				code: 'negative-amount',
				message:
					'The amount is negative, which may be a refund; it was kept as written. Correct it in the source system if it is not.',
			},
		]);
		const [ana] = bundles;
		expect(
			ana.appointments.map(
				({ start, durationMinutes, type, typeLabel, status, procedureCodes }) => ({
					start,
					durationMinutes,
					type,
					typeLabel,
					status,
					procedureCodes,
				}),
			),
		).toEqual([
			{
				start: '2026-03-10T18:30:00Z',
				durationMinutes: 60,
				type: 'hygiene',
				typeLabel: 'Hygiene',
				status: 'completed',
				procedureCodes: [
					{ system: 'CDT', code: 'D0120', flags: [] },
					{ system: 'CDT', code: 'D1110', flags: [] },
					{ system: 'other', code: 'X99', flags: ['not-cdt'] },
				],
			},
			{
				start: '2026-11-20T14:00:00Z',
				durationMinutes: 30,
				type: 'other',
				typeLabel: 'Whitening consult',
				status: 'no-show',
				procedureCodes: [],
			},
		]);
		expect(ana.treatmentPlans[0]).toMatchObject({
			status: 'in-progress',
			estimatedFee: { amount: '2875.00', currency: 'USD' },
			procedureCodes: [{ code: 'D3330' }, { code: 'D2740' }],
		});
		expect(bundles[1].treatmentPlans[0]).toMatchObject({
			status: 'proposed',
			estimatedFee: { amount: '100', currency: 'USD' },
		});
		expect(ana.claims[0]).toMatchObject({
			status: 'paid',
			billed: { amount: '245.00', currency: 'USD' },
			paid: { amount: '196.00', currency: 'USD' },
		});
		expect(ana.payments[0]).toMatchObject({
			amount: { amount: '-20.00', currency: 'USD' },
			planKey: 'dental-exec:treatmentPlan:TP1',
		});
		expect(ana.notes.map(({ text, format, createdAt }) => ({ text, format, createdAt }))).toEqual([
			{ text: 'Discussed #30:\n\n- Crown', format: 'html', createdAt: '2026-03-10T19:00:00Z' },
			{ text: 'Pre-auth sent.\nWaiting.', format: 'rtf', createdAt: undefined },
		]);
		expect(ana.labCases[0]).toMatchObject({
			lab: 'Keystone',
			status: 'in-progress',
			prescription: 'Rx: zirconia crown, shade A2',
		});
	});

	it('reads providers with roles, the inactive flag and shared emails, and practices', async () => {
		const { references } = await readFiles({
			'patients.csv': PATIENTS,
			'practices.csv': 'PracticeID,Name,City\n1,Maple Grove,Montclair\n',
			'providers.csv':
				'ProviderID,LastName,FirstName,Email,Role,PracticeID,Active\n10,Mitchell,Sarah,s@x.test,DDS,1,Y\n12,Rogers,Emily,hyg@x.test,RDH,1,\n13,Gonzalez,Maria,hyg@x.test,Office manager,1,N\n',
		});
		expect(
			references.map((entity) =>
				entity.kind === 'provider'
					? [entity.sourceId, entity.role, entity.roleLabel, entity.active, entity.email]
					: [entity.kind, entity.sourceId],
			),
		).toEqual([
			['practice', '1'],
			['10', 'dentist', 'DDS', true, 's@x.test'],
			['12', 'hygienist', 'RDH', true, 'hyg@x.test'],
			['13', 'other', 'Office manager', false, 'hyg@x.test'],
		]);
	});

	it('reads only the entities asked for, and a page of patients with only their children', async () => {
		const files = {
			'patients.csv': PATIENTS,
			'providers.csv': 'ProviderID,LastName,Email\n10,Mitchell,s@x.test\n',
			'appointments.csv':
				'AppointmentID,PatientID,StartDateTime\nA1,1001,03/10/2026 09:00\nA2,1002,03/11/2026 09:00\nA3,1003,03/12/2026 09:00\n',
			'notes.csv': 'NoteID,PatientID,Text\nN1,1002,hello\n',
		};
		const onlyAppointments = await readFiles(files, { entities: ['appointment'] });
		expect(onlyAppointments.report.files.map((file) => file.file)).toEqual([
			'patients.csv',
			'appointments.csv',
		]);
		expect(onlyAppointments.references).toEqual([]);
		const page = await readFiles(files, { page: { offset: 1, limit: 1 } });
		expect(
			page.bundles.map((bundle) => [
				bundle.patient.sourceId,
				bundle.appointments.map((a) => a.sourceId),
				bundle.notes.map((n) => n.sourceId),
			]),
		).toEqual([['1002', ['A2'], ['N1']]]);
		expect(page.references).toEqual([]);
		expect(page.page).toEqual({ offset: 1, limit: 1, patients: 3 });
		expect(page.report.totals).toMatchObject({ rowsRead: 8, rowsAccepted: 8, patients: 3 });
	});

	it('keeps a bundle for "modified since" when the patient or any child changed', async () => {
		const { bundles, report } = await readFiles(
			{
				'patients.csv':
					'PatientID,LastName,ModifiedAt\n1,A,10/01/2026 10:00\n2,B,10/20/2026 10:00\n3,C,01/01/2026 10:00\n',
				'notes.csv':
					'NoteID,PatientID,Text,CreatedAt\nN1,3,changed later,10/25/2026 08:00\nN2,1,old,01/02/2026 08:00\n',
				'claims.csv': 'ClaimID,PatientID\nC1,1\n',
			},
			{ modifiedSince: '2026-10-15T00:00:00Z' },
		);
		expect(bundles.map((bundle) => bundle.patient.sourceId)).toEqual(['2', '3']);
		expect(issuesOf(report, 'claims.csv')).toEqual([
			{ severity: 'info', file: 'claims.csv', line: 0, code: 'no-modified-column' },
		]);
	});

	it('keeps a patient edited in the second occurrence of the repeated fall-back hour', async () => {
		// New York falls back at 2026-11-01T06:00Z: 01:00–01:59 happens in EDT (UTC−4), then again
		// in EST (UTC−5). Patient 2's 01:10 may be 05:10Z or 06:10Z; the watermark 05:45Z lies
		// between, so only the later reading keeps an edit made at 06:10Z from being skipped.
		// Patient 1's 00:10 is EDT only (04:10Z), clearly before the watermark.
		const { bundles, report } = await readFiles(
			{
				'patients.csv':
					'PatientID,LastName,ModifiedAt\n1,A,11/01/2026 00:10\n2,B,11/01/2026 01:10\n',
			},
			{ modifiedSince: '2026-11-01T05:45:00Z' },
		);
		expect(bundles.map((bundle) => bundle.patient.sourceId)).toEqual(['2']);
		// The record and the newest change keep the first occurrence, 01:10 EDT: the watermark
		// never moves past an edit made in the repeated hour.
		expect(bundles[0].patient.modifiedAt).toBe('2026-11-01T05:10:00Z');
		expect(report.newestChange).toBe('2026-11-01T05:10:00.000Z');
	});

	it('refuses a time zone, currency, page or modified-since it cannot use', async () => {
		await expect(
			readFiles({ 'patients.csv': PATIENTS }, { timeZone: 'Mars/Olympus' }),
		).rejects.toThrow(
			'The time zone "Mars/Olympus" is not an IANA zone name; use a name like America/New_York or Europe/Brussels.',
		);
		await expect(readFiles({ 'patients.csv': PATIENTS }, { currency: 'dollars' })).rejects.toThrow(
			'The currency "dollars" is not an ISO 4217 code',
		);
		await expect(
			readFiles({ 'patients.csv': PATIENTS }, { page: { offset: -1, limit: 5 } }),
		).rejects.toThrow('The page needs a whole-number offset');
		await expect(
			readFiles({ 'patients.csv': PATIENTS }, { modifiedSince: 'last week' }),
		).rejects.toThrow('"Modified since" is not a date-time');
	});
});
