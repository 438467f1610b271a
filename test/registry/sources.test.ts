import { defaultSpec } from '../../lib/mapping/defaults';
import type { SourceSystem } from '../../lib/model';
import { SOURCE_OPTIONS, SOURCES, sourceDefinition } from '../../lib/registry/sources';

describe('the source registry', () => {
	it('lists each source once, with the brief’s sample sizes and the names people see', () => {
		expect(SOURCE_OPTIONS).toEqual([
			{ name: 'Dental-Exec', value: 'dental-exec' },
			{ name: 'DentAdmin', value: 'dentadmin' },
		]);
		expect(Object.values(SOURCES).map((s) => [s.id, s.sampleSize])).toEqual([
			['dental-exec', 200],
			['dentadmin', 50],
		]);
	});

	it('gives each source its own default spec', () => {
		expect(defaultSpec('dental-exec', '2026-01-01').source).toBe('dental-exec');
		expect(defaultSpec('dentadmin', '2026-01-01').source).toBe('dentadmin');
	});

	it('refuses an unknown source instead of falling back to another source’s defaults', () => {
		expect(() => sourceDefinition('open-dental')).toThrow(
			'"open-dental" is not a source this package reads: use one of dental-exec, dentadmin',
		);
		expect(() => defaultSpec('open-dental' as SourceSystem, '2026-01-01')).toThrow(
			'"open-dental" is not a source this package reads',
		);
	});
});
