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
			today: spec.rules.today,
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

	test('a spec confirmed on another day names the date it was confirmed for', () => {
		// Step 3 confirmed on 1 December (today empty = the day of the run); step 4 runs on the
		// 3rd and rebuilds the same proposal dated the 3rd.
		const confirmed = specWith('dental-exec', (s) => (s.rules.today = '2026-12-01'));
		const rebuilt = specWith('dental-exec', (s) => (s.rules.today = '2026-12-03'));
		const before = specHash(confirmed);
		expect(() => requireConfirmedSpec(rebuilt, before)).toThrow(
			`The mapping spec changed after it was confirmed (confirmed ${before.slice(0, 12)}…, now ${specHash(rebuilt).slice(0, 12)}…): only its date differs: it was confirmed for today = 2026-12-01, this run proposed it for 2026-12-03. Set today to 2026-12-01 in Migration settings (step 3 prints it with the hash), or run Confirm mapping again.`,
		);
		// A spec that differs in more than its date gets the plain message.
		const edited = specWith('dental-exec', (s) => {
			s.rules.today = '2026-12-03';
			s.rules.leadRecencyMonths = 6;
		});
		expect(() => requireConfirmedSpec(edited, before)).toThrow(/: run Confirm mapping again\.$/);
		expect(requireConfirmedSpec(confirmed, before).specHash).toBe(before);
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
