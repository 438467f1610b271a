import { namedOrganizationKey } from '../../lib/mapping/transform/derivedKeys';

/** Expected keys are spelled out by hand from the names. */
describe('named organization keys', () => {
	it('keeps the key names in Latin letters always had, so a re-run finds their organization', () => {
		expect(namedOrganizationKey('dental-exec', 'employer', 'Acme Dental, Inc.')).toBe(
			'dental-exec:organization:employer:acme-dental-inc',
		);
		expect(namedOrganizationKey('dentadmin', 'referring-dentist', 'Cabinet Dentaire Lefèvre')).toBe(
			'dentadmin:organization:referring-dentist:cabinet-dentaire-lefevre',
		);
	});

	it('gives names the slug cannot spell keys of their own, not one shared key', () => {
		const names = ['Газпром', 'Лукойл', 'Οδοντιατρείο Παππάς', 'Østergaard', 'Astergaard'];
		const keys = names.map((name) => namedOrganizationKey('dentadmin', 'employer', name));
		expect(new Set(keys).size).toBe(names.length);
		for (const key of keys) expect(key).toMatch(/^dentadmin:organization:employer:[a-z0-9-]+$/);
		expect(keys[4]).toBe('dentadmin:organization:employer:astergaard');
		// The same name written again is the same organization.
		expect(namedOrganizationKey('dentadmin', 'employer', ' газпром ')).toBe(keys[0]);
	});
});
