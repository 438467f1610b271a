import { PatientBundle, sourceKey } from '../../lib/model';

describe('canonical model', () => {
	it('builds source keys in one shape', () => {
		expect(sourceKey('dental-exec', 'patient', '001042')).toBe('dental-exec:patient:001042');
	});

	it('rejects a date-time without a zone', () => {
		const result = PatientBundle.safeParse({
			kind: 'patientBundle',
			sourceSystem: 'dental-exec',
			bundleKey: 'dental-exec:patient:1',
			patient: {
				sourceSystem: 'dental-exec',
				sourceId: '1',
				sourceKey: 'dental-exec:patient:1',
				lastName: 'X',
			},
			appointments: [
				{
					sourceSystem: 'dental-exec',
					sourceId: '7',
					sourceKey: 'dental-exec:appointment:7',
					patientKey: 'dental-exec:patient:1',
					start: '2024-03-05T14:30:00',
				},
			],
		});
		expect(result.success).toBe(false);
		expect(result.error?.issues[0].path).toEqual(['appointments', 0, 'start']);
	});
});
