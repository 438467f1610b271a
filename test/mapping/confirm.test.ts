import { MappingSpecError, confirmSpec, requireConfirmedSpec } from '../../lib/mapping/confirm';
import { specHash } from '../../lib/mapping/spec';
import { transformBundle } from '../../lib/mapping/transform';
import { bundle, owners, patient, registryFor, specWith } from './helpers';

const sample = bundle({
	sourceSystem: 'dental-exec',
	bundleKey: 'dental-exec:patient:1',
	patient: patient('dental-exec', '1'),
});

describe('confirm gate', () => {
	test('Confirm returns the spec hash and the given time', () => {
		const spec = specWith('dental-exec');
		expect(confirmSpec(spec, '2026-11-01T09:00:00Z')).toEqual({
			specHash: specHash(spec),
			confirmedAt: '2026-11-01T09:00:00Z',
		});
	});

	test('Confirm refuses an invalid spec and lists the problems', () => {
		const spec = specWith('dental-exec', (s) => (s.valueMaps.labCase.activityType = 'Lab'));
		expect(() => confirmSpec(spec, '2026-11-01T09:00:00Z')).toThrow(
			'The mapping spec is not valid (1 problems): valueMaps.labCase: activity type "Lab" is not in schema.activityTypes.',
		);
	});

	test('Transform refuses an unconfirmed spec', () => {
		const spec = specWith('dental-exec');
		const hash = specHash(spec);
		expect(() =>
			transformBundle(sample, { spec, confirmedSpecHash: '', registry: registryFor(spec), owners }),
		).toThrow(
			`The mapping spec has not been confirmed (its hash is ${hash.slice(0, 12)}…): run Confirm mapping, or paste the confirmed spec hash.`,
		);
	});

	test('Transform refuses a spec changed after confirmation, naming both hashes', () => {
		const confirmed = specWith('dental-exec');
		const changed = specWith('dental-exec', (s) => (s.rules.leadRecencyMonths = 6));
		const before = specHash(confirmed);
		const after = specHash(changed);
		let thrown: unknown;
		try {
			transformBundle(sample, {
				spec: changed,
				confirmedSpecHash: before,
				registry: registryFor(changed),
				owners,
			});
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(MappingSpecError);
		expect((thrown as Error).message).toBe(
			`The mapping spec changed after it was confirmed (confirmed ${before.slice(0, 12)}…, now ${after.slice(0, 12)}…): run Confirm mapping again.`,
		);
	});

	test('the gate passes the confirmed spec and its hash', () => {
		const spec = specWith('dentadmin');
		expect(requireConfirmedSpec(spec, ` ${specHash(spec)} `).specHash).toBe(specHash(spec));
	});

	test('Transform refuses a registry that lacks a field of the spec', () => {
		const spec = specWith('dental-exec');
		const registry = registryFor(spec);
		delete registry.fields.person['Date of birth'];
		expect(() =>
			transformBundle(sample, { spec, confirmedSpecHash: specHash(spec), registry, owners }),
		).toThrow(
			'The field registry lacks what the spec needs (person field "Date of birth"): run the Provisioner with this spec first.',
		);
	});
});
