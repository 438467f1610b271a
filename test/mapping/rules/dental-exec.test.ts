import { specHash } from '../../../lib/mapping/spec';
import { transformReferenceEntities } from '../../../lib/mapping/transform';
import { Practice, Provider } from '../../../lib/model';
import type { PlanOperation } from '../../../lib/plan/plan';
import {
	appointmentRecord,
	bundle,
	cf,
	operation,
	owners,
	patient,
	record,
	registryFor,
	specWith,
	transform,
} from '../helpers';

const P = 'dental-exec:patient:1042';
const SOURCE_KEY = 'Migration source key';
const person = (name: string) => cf('person', name);
const deal = (name: string) => cf('deal', name);

const plan = (id: string, fields: Record<string, unknown>) => ({
	...record('dental-exec', 'treatmentPlan', id, '1042'),
	procedureCodes: [{ system: 'CDT', code: 'D2740' }],
	...fields,
});

describe('Dental-Exec default spec, row by row (mapping brief)', () => {
	test('row 1: patient → person with name, emails, phones, address, date of birth, practice as organization', () => {
		const result = transform(
			bundle({
				sourceSystem: 'dental-exec',
				bundleKey: P,
				patient: patient('dental-exec', '1042', {
					firstName: 'Anna',
					lastName: 'Müller',
					birthDate: '1980-02-03',
					emails: ['anna@example.com', 'a.m@example.org'],
					phones: [
						{ value: '+1 555 0100', label: 'mobile' },
						{ value: '+1 555 0101', label: 'home' },
					],
					address: {
						street: 'Main St',
						houseNumber: '12',
						city: 'Springfield',
						region: 'IL',
						postalCode: '62701',
						country: 'US',
					},
					practiceKey: 'dental-exec:practice:1',
					primaryProviderKey: 'dental-exec:provider:7',
					createdAt: '2019-05-01T08:00:00.000Z',
				}),
			}),
		);
		expect(result.operations.map((op) => `${op.object} ${op.key}`)).toEqual([`person ${P}`]);
		const op = operation(result, 'person');
		expect(op.body).toEqual({
			name: 'Anna Müller',
			owner_id: 501,
			visible_to: 3,
			add_time: '2019-05-01T08:00:00Z',
			emails: [
				{ value: 'anna@example.com', primary: true, label: 'home' },
				{ value: 'a.m@example.org', primary: false, label: 'home' },
			],
			phones: [
				{ value: '+1 555 0100', primary: true, label: 'mobile' },
				{ value: '+1 555 0101', primary: false, label: 'home' },
			],
			custom_fields: {
				[person(SOURCE_KEY)]: P,
				[person('Date of birth')]: '1980-02-03',
				[person('Postal address')]: {
					value: 'Main St 12, 62701 Springfield, IL, US',
					route: 'Main St',
					street_number: '12',
					locality: 'Springfield',
					admin_area_level_1: 'IL',
					postal_code: '62701',
					country: 'US',
				},
			},
		});
		expect(op.refs).toEqual({ org_id: 'dental-exec:practice:1' });
		expect(result.findings).toEqual([]);
	});

	test('row 1: fields the spec maps but the export leaves empty are listed as written empty, except add_time', () => {
		const result = transform(
			bundle({
				sourceSystem: 'dental-exec',
				bundleKey: P,
				patient: patient('dental-exec', '1042', { firstName: 'Anna', emails: ['a@example.com'] }),
			}),
		);
		const empty = (operation(result, 'person').emptyFields ?? []).map((field) => field.path);
		// Sent fields are not among them, and Pipedrive stamps add_time itself.
		expect(empty).not.toContain('emails');
		expect(empty).not.toContain('name');
		expect(empty).not.toContain('add_time');
		expect(empty).toEqual(
			expect.arrayContaining([
				'phones',
				`custom_fields.${person('Date of birth')}`,
				`custom_fields.${person('Postal address')}`,
				`custom_fields.${person('Employer')}`,
			]),
		);
	});

	test('row 1: an employer (or referring dentist) becomes the primary organization instead of the practice', () => {
		const result = transform(
			bundle({
				sourceSystem: 'dental-exec',
				bundleKey: P,
				patient: patient('dental-exec', '1042', {
					practiceKey: 'dental-exec:practice:1',
					employer: 'Acme Tools Inc.',
					referringDentist: 'Dr. Shah',
				}),
			}),
		);
		const employerKey = 'dental-exec:organization:employer:acme-tools-inc';
		expect(result.operations.map((op) => `${op.object} ${op.key}`)).toEqual([
			`organization ${employerKey}`,
			`person ${P}`,
		]);
		expect(operation(result, 'organization').body).toEqual({
			name: 'Acme Tools Inc.',
			owner_id: 500,
			visible_to: 3,
			custom_fields: { [cf('organization', SOURCE_KEY)]: employerKey },
		});
		const op = operation(result, 'person');
		expect(op.refs).toEqual({ org_id: employerKey });
		expect(op.body.custom_fields).toEqual({
			[person(SOURCE_KEY)]: P,
			[person('Employer')]: 'Acme Tools Inc.',
			[person('Referring dentist')]: 'Dr. Shah',
		});
	});

	test('row 2: an outstanding plan and no appointment in the last 12 months gives a lead', () => {
		const input = {
			sourceSystem: 'dental-exec',
			bundleKey: P,
			patient: patient('dental-exec', '1042'),
			appointments: [
				appointmentRecord('dental-exec', '1', '1042', {
					start: '2025-10-31T09:00:00Z',
					status: 'completed',
				}),
			],
			treatmentPlans: [
				plan('501', {
					status: 'accepted',
					estimatedFee: { amount: '1250.50', currency: 'USD' },
					providerKey: 'dental-exec:provider:7',
				}),
				plan('502', { status: 'completed', finalFee: { amount: '90.00', currency: 'USD' } }),
			],
		};
		const result = transform(bundle(input));
		const lead = operation(result, 'lead');
		expect(lead.key).toBe('dental-exec:treatmentPlan:501:lead');
		expect(lead.body).toEqual({
			title: 'Treatment plan 501',
			owner_id: 501,
			value: { amount: 1250.5, currency: 'USD' },
			visible_to: '3',
			[deal(SOURCE_KEY)]: 'dental-exec:treatmentPlan:501:lead',
		});
		expect(lead.refs).toEqual({ person_id: P });
		expect(result.operations.filter((op) => op.object === 'lead')).toHaveLength(1);
		expect(result.operations.map((op) => op.object)).toEqual([
			'person',
			'lead',
			'deal',
			'deal',
			'activity',
		]);

		const recent = transform(
			bundle({
				...input,
				appointments: [
					appointmentRecord('dental-exec', '1', '1042', { start: '2025-11-01T09:00:00Z' }),
				],
			}),
		);
		expect(recent.operations.filter((op) => op.object === 'lead')).toEqual([]);
		const deceased = transform(
			bundle({ ...input, patient: patient('dental-exec', '1042', { status: 'deceased' }) }),
		);
		expect(deceased.operations.filter((op) => op.object === 'lead')).toEqual([]);
		const sixMonths = specWith('dental-exec', (s) => (s.rules.leadRecencyMonths = 6));

		const withSetting = transform(
			bundle({
				...input,
				appointments: [
					appointmentRecord('dental-exec', '1', '1042', { start: '2026-04-30T09:00:00Z' }),
				],
			}),
			sixMonths,
		);
		expect(withSetting.operations.filter((op) => op.object === 'lead').map((op) => op.key)).toEqual(
			['dental-exec:treatmentPlan:501:lead'],
		);
	});

	test('row 3: each practice location becomes an organization with name, address, phone, website', () => {
		const spec = specWith('dental-exec');
		const practice = (id: string, name: string) =>
			Practice.parse({
				kind: 'practice',
				sourceSystem: 'dental-exec',
				sourceId: id,
				sourceKey: `dental-exec:practice:${id}`,
				name,
				address: {
					street: 'Oak Ave',
					houseNumber: '5',
					city: 'Dayton',
					postalCode: '45402',
					country: 'US',
				},
				phone: '+1 937 555 0000',
				website: 'https://smile.example.com',
			});
		const provider = Provider.parse({
			kind: 'provider',
			sourceSystem: 'dental-exec',
			sourceId: '7',
			sourceKey: 'dental-exec:provider:7',
			lastName: 'Lee',
		});
		const plans = transformReferenceEntities(
			[practice('2', 'Smile North'), provider, practice('1', 'Smile South')],
			{
				spec,
				confirmedSpecHash: specHash(spec),
				registry: registryFor(spec),
				owners,
			},
		);
		expect(plans.map((p) => p.bundleKey)).toEqual([
			'dental-exec:practice:1',
			'dental-exec:practice:2',
		]);
		expect(plans[0].operations).toHaveLength(1);
		expect(plans[0].operations[0].body).toEqual({
			name: 'Smile South',
			owner_id: 500,
			visible_to: 3,
			address: {
				value: 'Oak Ave 5, 45402 Dayton, US',
				route: 'Oak Ave',
				street_number: '5',
				locality: 'Dayton',
				postal_code: '45402',
				country: 'US',
			},
			website: 'https://smile.example.com',
			custom_fields: {
				[cf('organization', SOURCE_KEY)]: 'dental-exec:practice:1',
				[cf('organization', 'Phone')]: '+1 937 555 0000',
			},
		});
	});

	test('row 4: providers own their records through the owner map; unmatched ones (in the map) fall back quietly', () => {
		// The helper's owner map: provider 7 → user 501, fallback user 500. Match Users puts an
		// unmatched provider in the map with the fallback user: that is the owner, no finding.
		const withUnmatched = {
			owners: { ...owners.owners, 'dental-exec:provider:8': 500 },
			fallbackUserId: 500,
		};
		const result = transform(
			bundle({
				sourceSystem: 'dental-exec',
				bundleKey: P,
				patient: patient('dental-exec', '1042', { primaryProviderKey: 'dental-exec:provider:8' }),
				appointments: [
					appointmentRecord('dental-exec', '1', '1042', { providerKey: 'dental-exec:provider:7' }),
				],
			}),
			specWith('dental-exec'),
			withUnmatched,
		);
		expect(operation(result, 'person').body.owner_id).toBe(500);
		expect(operation(result, 'activity').body.owner_id).toBe(501);
		expect(result.findings).toEqual([]);
	});

	test('row 4: a provider missing from the owner map (Match Users never saw it) falls back with a warning on every record it owns or wrote', () => {
		const missing = 'dental-exec:provider:9';
		const result = transform(
			bundle({
				sourceSystem: 'dental-exec',
				bundleKey: P,
				patient: patient('dental-exec', '1042', { primaryProviderKey: missing }),
				appointments: [
					appointmentRecord('dental-exec', '1', '1042', {
						start: '2025-01-10T09:00:00Z',
						status: 'completed',
						providerKey: missing,
					}),
				],
				treatmentPlans: [
					plan('501', {
						status: 'accepted',
						estimatedFee: { amount: '100.00', currency: 'USD' },
						providerKey: missing,
					}),
				],
				notes: [
					{
						...record('dental-exec', 'note', '3', '1042'),
						text: 'Recall',
						format: 'plain',
						authorKey: missing,
					},
				],
			}),
		);
		const ownerOf = (object: PlanOperation['object']) => operation(result, object).body.owner_id;
		expect([ownerOf('person'), ownerOf('lead'), ownerOf('deal'), ownerOf('activity')]).toEqual([
			500, 500, 500, 500,
		]);
		expect(operation(result, 'note').body.user_id).toBe(500);
		const message = `Provider ${missing} is not in the owner map, so the fallback owner takes this record. Match Users lists every provider it is given (unmatched ones with the fallback owner): give it the reader's records ($('<reader node name>').all(0)) and run again.`;
		expect(result.findings).toEqual(
			// Sorted by record key; the lead and the deal of plan 501 share the plan's key.
			['dental-exec:appointment:1', 'dental-exec:note:3', P, 'dental-exec:treatmentPlan:501'].map(
				(key) => ({ severity: 'warning', key, code: 'provider-not-in-owner-map', message }),
			),
		);
	});

	test('row 5: appointment → activity with type, subject, UTC due date and time, duration, owner, note, done', () => {
		const result = transform(
			bundle({
				sourceSystem: 'dental-exec',
				bundleKey: P,
				patient: patient('dental-exec', '1042'),
				appointments: [
					appointmentRecord('dental-exec', '88', '1042', {
						start: '2026-03-05T09:30:00-05:00',
						durationMinutes: 90,
						type: 'hygiene',
						typeLabel: 'Hygiene',
						status: 'completed',
						providerKey: 'dental-exec:provider:7',
						procedureCodes: [
							{ system: 'CDT', code: 'D1110', flags: [] },
							{ system: 'CDT', code: 'D0120', flags: [] },
						],
						notes: 'Floss more.\nBleeding < usual & "better"',
					}),
					appointmentRecord('dental-exec', '89', '1042', {
						start: '2026-12-01T16:00:00Z',
						end: '2026-12-01T16:20:00Z',
						typeLabel: 'Whitening',
						status: 'scheduled',
					}),
				],
			}),
		);
		expect(operation(result, 'activity', 'dental-exec:appointment:88').body).toEqual({
			subject: 'Hygiene appointment',
			type: 'hygiene',
			owner_id: 501,
			due_date: '2026-03-05',
			due_time: '14:30',
			duration: '01:30',
			done: true,
			note: 'Status: Completed<br>Type: Hygiene<br>Procedure codes: D1110, D0120<br><br>Floss more.<br>Bleeding &lt; usual &amp; &quot;better&quot;',
			participants: [{ primary: true }],
		});
		expect(operation(result, 'activity', 'dental-exec:appointment:88').refs).toEqual({
			'participants.0.person_id': P,
		});
		expect(operation(result, 'activity', 'dental-exec:appointment:89').body).toEqual({
			subject: 'Dental appointment',
			type: 'appointment',
			owner_id: 500,
			due_date: '2026-12-01',
			due_time: '16:00',
			duration: '00:20',
			done: false,
			note: 'Status: Scheduled<br>Type: Whitening',
			participants: [{ primary: true }],
		});
		expect(result.findings.map((f) => `${f.key} ${f.code}`)).toEqual([
			'dental-exec:appointment:89 appointment-type-fallback',
		]);
	});

	test('row 6: plans → deals (open, won with final fee and won time, lost) and the latest plan on the person', () => {
		const result = transform(
			bundle({
				sourceSystem: 'dental-exec',
				bundleKey: P,
				patient: patient('dental-exec', '1042'),
				appointments: [
					appointmentRecord('dental-exec', '1', '1042', { start: '2026-10-01T09:00:00Z' }),
				],
				treatmentPlans: [
					plan('501', {
						status: 'proposed',
						proposedDate: '2026-09-01',
						estimatedFee: { amount: '800', currency: 'USD' },
						teeth: '14, 15',
						notes: 'Crown',
					}),
					plan('502', {
						status: 'completed',
						proposedDate: '2025-01-01',
						completedDate: '2025-03-04',
						estimatedFee: { amount: '300.00', currency: 'USD' },
						finalFee: { amount: '320.00', currency: 'USD' },
					}),
					plan('503', {
						status: 'declined',
						proposedDate: '2024-01-01',
						estimatedFee: { amount: '99.99', currency: 'USD' },
					}),
					plan('504', { status: 'proposed', procedureCodes: [] }),
				],
			}),
		);
		const status = (name: string) => cf('deal', name);
		expect(operation(result, 'deal', 'dental-exec:treatmentPlan:501').body).toEqual({
			title: 'Treatment plan 501',
			value: 800,
			currency: 'USD',
			status: 'open',
			pipeline_id: 7,
			stage_id: 11,
			owner_id: 500,
			visible_to: 3,
			custom_fields: {
				[status(SOURCE_KEY)]: 'dental-exec:treatmentPlan:501',
				[status('Procedure codes')]: 'D2740',
				[status('Teeth')]: '14, 15',
				[status('Plan notes')]: 'Crown',
			},
		});
		expect(operation(result, 'deal', 'dental-exec:treatmentPlan:501').refs).toEqual({
			person_id: P,
		});
		const won = operation(result, 'deal', 'dental-exec:treatmentPlan:502').body;
		expect([won.status, won.value, won.won_time, won.close_time, won.stage_id]).toEqual([
			'won',
			320,
			'2025-03-04T00:00:00Z',
			'2025-03-04T00:00:00Z',
			14,
		]);
		const lost = operation(result, 'deal', 'dental-exec:treatmentPlan:503').body;
		expect([lost.status, lost.value, lost.won_time, lost.stage_id]).toEqual([
			'lost',
			99.99,
			undefined,
			11,
		]);
		expect(result.operations.map((op) => op.key)).not.toContain('dental-exec:treatmentPlan:504');
		expect(result.findings.map((f) => `${f.key} ${f.code}`)).toEqual([
			'dental-exec:treatmentPlan:504 plan-not-a-deal',
		]);
		expect(operation(result, 'person').body.custom_fields).toEqual({
			[person(SOURCE_KEY)]: P,
			[person('Treatment plan procedure codes')]: 'D2740',
			[person('Treatment plan status')]: 100,
			[person('Treatment plan notes')]: 'Crown',
		});
	});

	test('row 7: insurance fields, latest claim status and the claim history as one text field', () => {
		const claim = (id: string, fields: Record<string, unknown>) => ({
			...record('dental-exec', 'claim', id, '1042'),
			...fields,
		});
		const result = transform(
			bundle({
				sourceSystem: 'dental-exec',
				bundleKey: P,
				patient: patient('dental-exec', '1042', {
					insurance: {
						carrier: 'Delta Dental',
						policyNumber: 'POL-1',
						groupNumber: 'G-77',
						subscriberId: 'S-9',
					},
				}),
				claims: [
					claim('1', {
						submittedDate: '2025-02-01',
						status: 'paid',
						billed: { amount: '120.00', currency: 'USD' },
						paid: { amount: '96.00', currency: 'USD' },
						procedureCodes: [
							{ system: 'CDT', code: 'D1110' },
							{ system: 'CDT', code: 'D0120' },
						],
					}),
					claim('2', {
						submittedDate: '2026-06-10',
						status: 'denied',
						billed: { amount: '300.00', currency: 'USD' },
					}),
				],
			}),
		);
		expect(operation(result, 'person').body.custom_fields).toEqual({
			[person(SOURCE_KEY)]: P,
			[person('Insurance carrier')]: 'Delta Dental',
			[person('Policy number')]: 'POL-1',
			[person('Group number')]: 'G-77',
			[person('Subscriber ID')]: 'S-9',
			[person('Latest claim status')]: 'Denied',
			[person('Claim history')]:
				'2026-06-10 | Denied | billed 300.00 USD | paid - | no codes\n2025-02-01 | Paid | billed 120.00 USD | paid 96.00 USD | D1110 D0120',
		});
		expect(result.operations.map((op) => op.object)).toEqual(['person']);
	});

	test('row 8: balance and last payment on the person, payment status on the deal', () => {
		const payment = (id: string, amount: string) => ({
			...record('dental-exec', 'payment', id, '1042'),
			amount: { amount, currency: 'USD' },
			planKey: 'dental-exec:treatmentPlan:501',
		});
		const result = transform(
			bundle({
				sourceSystem: 'dental-exec',
				bundleKey: P,
				patient: patient('dental-exec', '1042', {
					billing: {
						outstandingBalance: { amount: '1234.56', currency: 'USD' },
						lastPaymentAmount: { amount: '50', currency: 'USD' },
						lastPaymentDate: '2026-01-15',
					},
				}),
				appointments: [
					appointmentRecord('dental-exec', '1', '1042', { start: '2026-10-01T09:00:00Z' }),
				],
				treatmentPlans: [
					plan('501', { status: 'accepted', estimatedFee: { amount: '100.00', currency: 'USD' } }),
				],
				payments: [payment('1', '60.00'), payment('2', '40')],
			}),
		);
		expect(operation(result, 'person').body.custom_fields).toMatchObject({
			[person('Outstanding balance')]: { value: 1234.56, currency: 'USD' },
			[person('Last payment amount')]: { value: 50, currency: 'USD' },
			[person('Last payment date')]: '2026-01-15',
		});
		expect(
			(operation(result, 'deal').body.custom_fields as Record<string, unknown>)[
				deal('Payment status')
			],
		).toBe(100);
	});

	test('row 9: notes stay notes with original add time, author and labels; clinical notes follow privacy', () => {
		const note = (id: string, fields: Record<string, unknown>) => ({
			...record('dental-exec', 'note', id, '1042'),
			format: 'plain',
			...fields,
		});
		const input = {
			sourceSystem: 'dental-exec',
			bundleKey: P,
			patient: patient('dental-exec', '1042'),
			notes: [
				note('1', {
					text: 'Called <re> recall\nLeft message',
					createdAt: '2024-02-03T10:04:05Z',
					authorKey: 'dental-exec:provider:7',
					category: 'Admin',
					tags: ['phone'],
				}),
				note('2', {
					text: 'Sensitive tooth 14',
					createdAt: '2024-02-04T10:00:00+01:00',
					authorKey: 'dental-exec:provider:9',
					category: 'Clinical',
				}),
			],
		};
		const result = transform(bundle(input));
		expect(operation(result, 'note', 'dental-exec:note:1')).toEqual({
			object: 'note',
			key: 'dental-exec:note:1',
			bundleKey: P,
			body: {
				content: '[Admin] [phone]<br>Called &lt;re&gt; recall<br>Left message',
				add_time: '2024-02-03 10:04:05',
				user_id: 501,
			},
			refs: { person_id: P },
			fields: [
				{ canonical: 'note.text', path: 'content', label: 'content', fieldType: 'html' },
				{
					canonical: 'note.createdAt',
					path: 'add_time',
					label: 'add_time',
					fieldType: 'date-time',
				},
				{ canonical: 'note.author', path: 'user_id', label: 'user_id', fieldType: 'user' },
				{
					canonical: 'note.patient',
					path: 'person_id',
					label: 'person_id',
					fieldType: 'reference',
				},
			],
		});
		// Provider 9 is missing from the helper's owner map: the owner rule gives the fallback user.
		expect(operation(result, 'note', 'dental-exec:note:2').body).toEqual({
			content: '[Clinical]<br>Sensitive tooth 14',
			add_time: '2024-02-04 09:00:00',
			user_id: 500,
		});
		expect(result.findings.map((f) => `${f.key} ${f.code}`)).toEqual([
			'dental-exec:note:2 provider-not-in-owner-map',
		]);
		const excluded = transform(
			bundle(input),
			specWith('dental-exec', (s) => (s.privacy.clinicalNotes = 'exclude')),
		);
		expect(excluded.operations.filter((op) => op.object === 'note').map((op) => op.key)).toEqual([
			'dental-exec:note:1',
		]);
		expect(excluded.findings.map((f) => `${f.key} ${f.code}`)).toEqual([
			'dental-exec:note:2 clinical-note-excluded',
		]);
	});

	test('row 10: the referral pick-list code becomes the enum option id', () => {
		const result = transform(
			bundle({
				sourceSystem: 'dental-exec',
				bundleKey: P,
				patient: patient('dental-exec', '1042', { referralSource: 'WEB' }),
			}),
		);
		expect(operation(result, 'person').body.custom_fields).toEqual({
			[person(SOURCE_KEY)]: P,
			[person('Referral source')]: 101,
		});
		const unknown = transform(
			bundle({
				sourceSystem: 'dental-exec',
				bundleKey: P,
				patient: patient('dental-exec', '1042', { referralSource: 'TV' }),
			}),
		);
		expect(unknown.findings).toEqual([
			{
				severity: 'warning',
				key: P,
				code: 'value-not-written',
				message:
					'patient.referralSource was not written: a value is not one of the field options: add it to the value map or the field. Fix the spec or the source value.',
			},
		]);
	});

	test('row 11: documents upload as files on the appointment activity or the person; over the limit → link field + report', () => {
		const document = (id: string, fields: Record<string, unknown>) => ({
			...record('dental-exec', 'document', id, '1042'),
			origin: { file: 'documents.csv', line: Number(id) + 1 },
			...fields,
		});
		const spec = specWith('dental-exec', (s) => (s.rules.fileSizeLimitBytes = 1000));
		const result = transform(
			bundle({
				sourceSystem: 'dental-exec',
				bundleKey: P,
				patient: patient('dental-exec', '1042'),
				appointments: [
					appointmentRecord('dental-exec', '88', '1042', { start: '2026-10-01T09:00:00Z' }),
				],
				documents: [
					document('1', {
						fileName: 'xray.png',
						relativePath: 'docs/xray.png',
						resolvedPath: '/export/docs/xray.png',
						mimeType: 'image/png',
						sizeBytes: 1000,
						appointmentKey: 'dental-exec:appointment:88',
					}),
					document('2', {
						fileName: 'consent.pdf',
						relativePath: 'docs/consent.pdf',
						resolvedPath: '/export/docs/consent.pdf',
						sizeBytes: 10,
					}),
					document('3', {
						fileName: 'scan.stl',
						relativePath: 'docs/scan.stl',
						resolvedPath: '/export/docs/scan.stl',
						sizeBytes: 1001,
					}),
					document('4', { fileName: 'lost.pdf', relativePath: 'docs/lost.pdf' }),
				],
			}),
			spec,
		);
		const files = result.operations.filter((op) => op.object === 'file');
		expect(files.map((op) => [op.key, op.body, op.refs, op.file])).toEqual([
			[
				'dental-exec:document:1',
				{},
				{ activity_id: 'dental-exec:appointment:88' },
				{
					path: '/export/docs/xray.png',
					fileName: 'xray.png',
					mimeType: 'image/png',
					sizeBytes: 1000,
				},
			],
			[
				'dental-exec:document:2',
				{},
				{ person_id: P },
				{
					path: '/export/docs/consent.pdf',
					fileName: 'consent.pdf',
					mimeType: 'application/octet-stream',
					sizeBytes: 10,
				},
			],
		]);
		expect(
			(operation(result, 'person').body.custom_fields as Record<string, unknown>)[
				person('Documents not uploaded')
			],
		).toBe('scan.stl (docs/scan.stl, 1001 bytes)');
		expect(result.findings).toEqual([
			{
				severity: 'warning',
				key: 'dental-exec:document:3',
				code: 'document-over-size-limit',
				message:
					'Document documents.csv line 4 is 1001 bytes, over the 1000-byte limit: not uploaded; its name and location are in the person\'s "documents not uploaded" field.',
			},
			{
				severity: 'error',
				key: 'dental-exec:document:4',
				code: 'document-missing',
				message:
					'Document documents.csv line 5 has no file in the export folder: add the file or remove the row, then read the export again.',
			},
		]);
	});

	test('row 12: lab case status on the person, an activity per case, a long prescription as a note', () => {
		const spec = specWith('dental-exec', (s) => (s.rules.longPrescriptionChars = 20));
		const labCase = (id: string, fields: Record<string, unknown>) => ({
			...record('dental-exec', 'labCase', id, '1042'),
			...fields,
		});
		const result = transform(
			bundle({
				sourceSystem: 'dental-exec',
				bundleKey: P,
				patient: patient('dental-exec', '1042'),
				labCases: [
					labCase('1', {
						lab: 'Acme Lab',
						caseType: 'Crown',
						submittedDate: '2026-01-05',
						expectedReturnDate: '2026-01-19',
						receivedDate: '2026-01-18',
						status: 'seated',
						prescription: 'Shade A2',
						providerKey: 'dental-exec:provider:7',
					}),
					labCase('2', {
						lab: 'Acme Lab',
						caseType: 'Bridge',
						submittedDate: '2026-09-01',
						expectedReturnDate: '2026-09-15',
						status: 'in-progress',
						prescription: 'Three-unit bridge 14-16, zirconia, shade A3',
					}),
				],
			}),
			spec,
		);
		expect(
			(operation(result, 'person').body.custom_fields as Record<string, unknown>)[
				person('Lab case status')
			],
		).toBe(101);
		expect(operation(result, 'activity', 'dental-exec:labCase:1').body).toEqual({
			subject: 'Lab case Crown (Acme Lab)',
			type: 'lab_case',
			owner_id: 501,
			due_date: '2026-01-19',
			done: true,
			note: 'Lab: Acme Lab<br>Case type: Crown<br>Submitted: 2026-01-05<br>Expected return: 2026-01-19<br>Received: 2026-01-18<br>Status: Seated<br>Prescription: Shade A2',
			participants: [{ primary: true }],
		});
		expect(operation(result, 'activity', 'dental-exec:labCase:2').body.done).toBe(false);
		expect(operation(result, 'note', 'dental-exec:labCase:2:prescription')).toMatchObject({
			body: {
				content:
					'Lab prescription (Lab case Bridge (Acme Lab))<br><br>Three-unit bridge 14-16, zirconia, shade A3',
				add_time: '2026-09-01 00:00:00',
			},
			refs: { person_id: P },
		});
	});

	test('recall: interval and next recall date from the recall/hygiene tasks', () => {
		const task = (id: string, fields: Record<string, unknown>) => ({
			...record('dental-exec', 'task', id, '1042'),
			...fields,
		});
		const result = transform(
			bundle({
				sourceSystem: 'dental-exec',
				bundleKey: P,
				patient: patient('dental-exec', '1042'),
				tasks: [
					task('1', { type: 'recall', dueDate: '2026-05-01', intervalMonths: 6, status: 'done' }),
					task('2', { type: 'hygiene', dueDate: '2026-12-01', status: 'open' }),
					task('3', { type: 'call', dueDate: '2026-11-05', status: 'open' }),
				],
			}),
		);
		expect(operation(result, 'person').body.custom_fields).toEqual({
			[person(SOURCE_KEY)]: P,
			[person('Recall interval (months)')]: 6,
			[person('Next recall date')]: '2026-12-01',
		});
	});

	test('medical alerts: the flags that are set as a set field; excluded by the privacy setting with a report line', () => {
		const input = {
			sourceSystem: 'dental-exec',
			bundleKey: P,
			patient: patient('dental-exec', '1042', {
				medicalAlerts: { allergy: true, drugInteraction: false, premedication: true },
			}),
		};
		expect(operation(transform(bundle(input)), 'person').body.custom_fields).toEqual({
			[person(SOURCE_KEY)]: P,
			[person('Medical alerts')]: [100, 102],
		});
		const excluded = transform(
			bundle(input),
			specWith('dental-exec', (s) => (s.privacy.medicalAlerts = 'exclude')),
		);
		expect(operation(excluded, 'person').body.custom_fields).toEqual({ [person(SOURCE_KEY)]: P });
		expect(excluded.findings.map((f) => f.code)).toEqual(['medical-alerts-excluded']);
	});
});
