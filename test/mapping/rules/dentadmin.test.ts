import { defaultSpec } from '../../../lib/mapping/defaults';
import { specHash } from '../../../lib/mapping/spec';
import { transformBundle, transformReferenceEntities } from '../../../lib/mapping/transform';
import { Insurer } from '../../../lib/model';
import {
	TODAY,
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

const P = 'dentadmin:patient:00017';
const SOURCE_KEY = 'Migration source key';
const INSURER = 'dentadmin:insurer:306';
const person = (name: string) => cf('person', name);
const deal = (name: string) => cf('deal', name);

const treatment = (
	id: string,
	code: string,
	fee: string,
	coPayment: string,
	fields: Record<string, unknown> = {},
) => ({
	...record('dentadmin', 'procedure', id, '00017'),
	code: { system: 'RIZIV', code },
	fee: { amount: fee, currency: 'EUR' },
	coPayment: { amount: coPayment, currency: 'EUR' },
	status: 'performed',
	...fields,
});

const belgianPatient = (fields: Record<string, unknown> = {}) =>
	patient('dentadmin', '00017', {
		firstName: 'Lien',
		lastName: 'Van den Broeck',
		birthDate: '1975-08-30',
		emails: ['lien@example.be'],
		phones: [{ value: '+32 470 12 34 56', label: 'mobile' }],
		address: {
			street: 'Kerkstraat',
			houseNumber: '5',
			box: '2',
			postalCode: '9000',
			city: 'Gent',
			country: 'BE',
		},
		primaryProviderKey: 'dentadmin:provider:3',
		nationalNumber: '75083012345',
		insurance: { carrier: 'Solidaris', insurerKey: INSURER, policyNumber: '1234567' },
		coPayment: { percentage: 25, thirdPartyPayer: true },
		createdAt: '2018-01-02T08:30:00Z',
		...fields,
	});

describe('DentAdmin default spec, row by row (mapping brief)', () => {
	test('row 1: patient → person with name, email, phone, address, birth date; dentist as owner; national number excluded', () => {
		const result = transform(
			bundle({ sourceSystem: 'dentadmin', bundleKey: P, patient: belgianPatient() }),
		);
		const op = operation(result, 'person');
		expect(op.body).toEqual({
			name: 'Lien Van den Broeck',
			owner_id: 601,
			visible_to: 3,
			add_time: '2018-01-02T08:30:00Z',
			emails: [{ value: 'lien@example.be', primary: true, label: 'home' }],
			phones: [{ value: '+32 470 12 34 56', primary: true, label: 'mobile' }],
			custom_fields: {
				[person(SOURCE_KEY)]: P,
				[person('Date of birth')]: '1975-08-30',
				[person('Postal address')]: {
					value: 'Kerkstraat 5 box 2, 9000 Gent, BE',
					route: 'Kerkstraat',
					street_number: '5',
					subpremise: '2',
					locality: 'Gent',
					postal_code: '9000',
					country: 'BE',
				},
				[person('Insurance provider')]: 'Solidaris / 1234567',
				[person('Co-payment percentage')]: 25,
				[person('Third-party payer')]: 100,
			},
		});
		expect(op.refs).toEqual({ [`custom_fields.${person('Insurer')}`]: INSURER });
		expect(JSON.stringify(result)).not.toContain('75083012345');
		expect(result.findings).toEqual([]);
	});

	test('row 1: the national number goes in only when the spec includes it, and can be pseudonymised', () => {
		const spec = specWith('dentadmin', (s) => {
			s.schema.customFields.push({
				object: 'person',
				name: 'National number (hashed)',
				fieldType: 'varchar',
			});
			s.fields['patient.nationalNumber'] = {
				object: 'person',
				custom: 'National number (hashed)',
				pseudonymise: 'hmac-sha256',
			};
		});
		const input = bundle({ sourceSystem: 'dentadmin', bundleKey: P, patient: belgianPatient() });
		const base = { spec, confirmedSpecHash: specHash(spec), registry: registryFor(spec), owners };
		expect(() => transformBundle(input, base)).toThrow(
			'The mapping spec pseudonymises fields but no pseudonym key was given: set the pseudonym key (keep it secret and the same for every run).',
		);
		const plan = transformBundle(input, { ...base, pseudonymKey: 'practice-secret' });
		expect(JSON.stringify(plan)).not.toContain('75083012345');
		expect(
			(operation(plan, 'person').body.custom_fields as Record<string, unknown>)[
				person('National number (hashed)')
			],
		).toBe('c1dad61410a1ae4ebd047f6f5a138bf0b836ba14bd9cdad95822d2a63cabdc41');
	});

	test('row 2: insurer → organization with contact details, policy prefix and reimbursement tier', () => {
		const spec = specWith('dentadmin');
		const insurer = Insurer.parse({
			kind: 'insurer',
			sourceSystem: 'dentadmin',
			sourceId: '306',
			sourceKey: INSURER,
			code: '306',
			name: 'Solidaris Oost-Vlaanderen',
			union: { code: '300', name: 'Socialist' },
			address: {
				street: 'Vooruitplein',
				houseNumber: '1',
				postalCode: '9000',
				city: 'Gent',
				country: 'BE',
			},
			phone: '+32 9 333 33 33',
			email: 'info@solidaris.example',
			website: 'https://solidaris.example',
			policyPrefix: 'SOL',
			reimbursementTier: 'BIM',
		});
		const [plan] = transformReferenceEntities([insurer], {
			spec,
			confirmedSpecHash: specHash(spec),
			registry: registryFor(spec),
			owners,
		});
		const org = (name: string) => cf('organization', name);
		expect(plan.operations.map((op) => [op.object, op.key, op.body])).toEqual([
			[
				'organization',
				INSURER,
				{
					name: 'Solidaris Oost-Vlaanderen',
					owner_id: 500,
					visible_to: 3,
					address: {
						value: 'Vooruitplein 1, 9000 Gent, BE',
						route: 'Vooruitplein',
						street_number: '1',
						locality: 'Gent',
						postal_code: '9000',
						country: 'BE',
					},
					website: 'https://solidaris.example',
					custom_fields: {
						[org(SOURCE_KEY)]: INSURER,
						[org('Insurer code')]: '306',
						[org('National union')]: '300 Socialist',
						[org('Phone')]: '+32 9 333 33 33',
						[org('Email')]: 'info@solidaris.example',
						[org('Policy number prefix')]: 'SOL',
						[org('Reimbursement tier')]: 'BIM',
					},
				},
			],
		]);
	});

	test('row 3: the treatments of one plan are one deal valued at their sum, with RIZIV codes, co-payment and the insurer', () => {
		const result = transform(
			bundle({
				sourceSystem: 'dentadmin',
				bundleKey: P,
				patient: belgianPatient(),
				appointments: [
					appointmentRecord('dentadmin', '1', '00017', { start: '2026-10-01T07:00:00Z' }),
				],
				treatmentPlans: [
					{
						...record('dentadmin', 'treatmentPlan', 'BP-9', '00017'),
						status: 'in-progress',
						providerKey: 'dentadmin:provider:3',
						procedures: [
							treatment('1', '371011', '60,00'.replace(',', '.'), '15.00', { date: '2026-09-01' }),
							treatment('2', '371033', '1234.56', '308.64', { date: '2026-09-08' }),
							treatment('3', '371011', '60.00', '15.00', { status: 'cancelled' }),
						],
					},
				],
			}),
		);
		const op = operation(result, 'deal');
		expect(op.body).toEqual({
			title: 'Treatment plan BP-9',
			value: 1294.56,
			currency: 'EUR',
			status: 'open',
			pipeline_id: 7,
			stage_id: 13,
			owner_id: 601,
			visible_to: 3,
			custom_fields: {
				[deal(SOURCE_KEY)]: 'dentadmin:treatmentPlan:BP-9',
				[deal('RIZIV codes')]: '371011, 371033',
				[deal('Co-payment')]: { value: 323.64, currency: 'EUR' },
				[deal('Co-payment percentage')]: 25,
			},
		});
		expect(op.refs).toEqual({ person_id: P, org_id: INSURER });
	});

	test('row 4: appointment types in Dutch and French, Brussels times already in UTC, end → duration, location kept, one activity per occurrence', () => {
		const occurrence = (id: string, start: string, n: number) =>
			appointmentRecord('dentadmin', id, '00017', {
				start,
				end: start.replace(/T(\d\d)/, (_, h) => `T${String(Number(h) + 1).padStart(2, '0')}`),
				typeLabel: 'Controle',
				location: 'Praktijk Gent',
				providerKey: 'dentadmin:provider:3',
				recurrence: { frequency: 'weekly', count: 2, occurrence: n },
			});
		const result = transform(
			bundle({
				sourceSystem: 'dentadmin',
				bundleKey: P,
				patient: belgianPatient(),
				appointments: [
					occurrence('A1-1', '2026-03-30T07:00:00Z', 1),
					occurrence('A1-2', '2026-04-06T06:00:00Z', 2),
					appointmentRecord('dentadmin', 'A2', '00017', {
						start: '2026-05-04T12:15:00Z',
						durationMinutes: 30,
						typeLabel: 'Traitement',
						notes: 'Extraction 38',
					}),
				],
			}),
		);
		expect(result.operations.filter((op) => op.object === 'activity').map((op) => op.body)).toEqual(
			[
				{
					subject: 'Check-up',
					type: 'check_up',
					owner_id: 601,
					due_date: '2026-03-30',
					due_time: '07:00',
					duration: '01:00',
					done: false,
					note: 'Type: Controle<br>Recurring (weekly): occurrence 1 of 2',
					participants: [{ primary: true }],
					location: { value: 'Praktijk Gent' },
				},
				{
					subject: 'Check-up',
					type: 'check_up',
					owner_id: 601,
					due_date: '2026-04-06',
					due_time: '06:00',
					duration: '01:00',
					done: false,
					note: 'Type: Controle<br>Recurring (weekly): occurrence 2 of 2',
					participants: [{ primary: true }],
					location: { value: 'Praktijk Gent' },
				},
				{
					subject: 'Treatment appointment',
					type: 'treatment',
					owner_id: 500,
					due_date: '2026-05-04',
					due_time: '12:15',
					duration: '00:30',
					done: false,
					note: 'Type: Traitement<br><br>Extraction 38',
					participants: [{ primary: true }],
				},
			],
		);
	});

	test('row 5: notes with original time and author, flattened text, category and tags as labels', () => {
		const result = transform(
			bundle({
				sourceSystem: 'dentadmin',
				bundleKey: P,
				patient: belgianPatient(),
				notes: [
					{
						...record('dentadmin', 'note', 'N1', '00017'),
						text: 'Patiënt meldt gevoeligheid.\nControle over 3 maanden',
						format: 'rtf',
						createdAt: '2025-12-01T13:45:00Z',
						authorKey: 'dentadmin:provider:3',
						category: 'Medisch',
						tags: ['opvolging', 'gevoelig'],
					},
				],
			}),
		);
		expect(operation(result, 'note').body).toEqual({
			content:
				'[Medisch] [opvolging] [gevoelig]<br>Patiënt meldt gevoeligheid.<br>Controle over 3 maanden',
			add_time: '2025-12-01 13:45:00',
			user_id: 601,
		});
	});

	test('row 6: documents attach to the person; too large → link in the person field and a report line', () => {
		const spec = specWith('dentadmin', (s) => (s.rules.fileSizeLimitBytes = 5_000_000));
		const result = transform(
			bundle({
				sourceSystem: 'dentadmin',
				bundleKey: P,
				patient: belgianPatient({ insurance: undefined, coPayment: undefined }),
				documents: [
					{
						...record('dentadmin', 'document', 'D1', '00017'),
						fileName: 'verslag.pdf',
						relativePath: 'documenten/verslag.pdf',
						resolvedPath: '/x/documenten/verslag.pdf',
						mimeType: 'application/pdf',
						sizeBytes: 4_999_999,
					},
					{
						...record('dentadmin', 'document', 'D2', '00017'),
						fileName: 'cbct.dcm',
						relativePath: 'documenten/cbct.dcm',
						resolvedPath: '/x/documenten/cbct.dcm',
						sizeBytes: 80_000_000,
					},
				],
			}),
			spec,
		);
		expect(
			result.operations
				.filter((op) => op.object === 'file')
				.map((op) => [op.key, op.refs, op.file]),
		).toEqual([
			[
				'dentadmin:document:D1',
				{ person_id: P },
				{
					path: '/x/documenten/verslag.pdf',
					fileName: 'verslag.pdf',
					mimeType: 'application/pdf',
					sizeBytes: 4_999_999,
				},
			],
		]);
		expect(
			(operation(result, 'person').body.custom_fields as Record<string, unknown>)[
				person('Documents not uploaded')
			],
		).toBe('cbct.dcm (documenten/cbct.dcm, 80000000 bytes)');
		expect(result.findings.map((f) => `${f.key} ${f.code}`)).toEqual([
			'dentadmin:document:D2 document-over-size-limit',
		]);
	});

	test('row 7: users are owners by email match; unmatched ones get the fallback and are reported; roles are mapped for review', () => {
		const result = transform(
			bundle({
				sourceSystem: 'dentadmin',
				bundleKey: P,
				patient: belgianPatient({ primaryProviderKey: 'dentadmin:provider:8' }),
			}),
		);
		expect(operation(result, 'person').body.owner_id).toBe(500);
		expect(result.findings.map((f) => `${f.key} ${f.code}`)).toEqual([
			`${P} provider-not-in-owner-map`,
		]);
		expect(defaultSpec('dentadmin', TODAY).valueMaps.providerRoles).toEqual({
			Tandarts: 'dentist',
			Dentiste: 'dentist',
			Assistente: 'assistant',
			Assistante: 'assistant',
			Secretariaat: 'secretary',
			Secrétariat: 'secretary',
		});
	});

	test('row 8: the most frequent RIZIV codes on the person', () => {
		const result = transform(
			bundle({
				sourceSystem: 'dentadmin',
				bundleKey: P,
				patient: belgianPatient({ insurance: undefined, coPayment: undefined }),
				treatmentPlans: [
					{
						...record('dentadmin', 'treatmentPlan', 'BP-1', '00017'),
						status: 'completed',
						procedures: [
							treatment('1', '301011', '30', '7.5', { date: '2024-01-01' }),
							treatment('2', '371033', '80', '20', { date: '2024-01-01' }),
						],
					},
					{
						...record('dentadmin', 'treatmentPlan', 'BP-2', '00017'),
						status: 'completed',
						procedures: [
							treatment('3', '301011', '30', '7.5', { date: '2025-01-01' }),
							treatment('4', '374011', '50', '12.5', { date: '2025-06-01' }),
						],
					},
				],
			}),
		);
		expect(
			(operation(result, 'person').body.custom_fields as Record<string, unknown>)[
				person('RIZIV codes')
			],
		).toBe('301011, 374011, 371033');
	});

	test('row 9: insurer and policy number in one person field, and the person linked to the insurer organization', () => {
		const result = transform(
			bundle({ sourceSystem: 'dentadmin', bundleKey: P, patient: belgianPatient() }),
		);
		const op = operation(result, 'person');
		expect((op.body.custom_fields as Record<string, unknown>)[person('Insurance provider')]).toBe(
			'Solidaris / 1234567',
		);
		expect(op.refs[`custom_fields.${person('Insurer')}`]).toBe(INSURER);
		expect(op.fields.find((f) => f.canonical === 'patient.insurance.insurer')).toEqual({
			canonical: 'patient.insurance.insurer',
			path: `custom_fields.${person('Insurer')}`,
			label: `custom_fields.${person('Insurer')}`,
			fieldType: 'reference',
		});
	});

	test('row 10: co-payment percentage on the person and on the deal of a plan', () => {
		const result = transform(
			bundle({
				sourceSystem: 'dentadmin',
				bundleKey: P,
				patient: belgianPatient({ insurance: undefined, coPayment: { percentage: 12.5 } }),
				appointments: [
					appointmentRecord('dentadmin', '1', '00017', { start: '2026-10-01T07:00:00Z' }),
				],
				treatmentPlans: [
					{
						...record('dentadmin', 'treatmentPlan', 'BP-1', '00017'),
						status: 'proposed',
						procedures: [treatment('1', '301011', '30', '7.5')],
					},
				],
			}),
		);
		expect(
			(operation(result, 'person').body.custom_fields as Record<string, unknown>)[
				person('Co-payment percentage')
			],
		).toBe(12.5);
		expect(
			(operation(result, 'deal').body.custom_fields as Record<string, unknown>)[
				deal('Co-payment percentage')
			],
		).toBe(12.5);
	});
});
