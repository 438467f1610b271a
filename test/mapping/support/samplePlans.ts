import { join, relative } from 'node:path';
import { canonicalJson } from '../../../lib/mapping/canonicalJson';
import { proposeFromExport } from '../../../lib/mapping/propose/fromExport';
import { specHash } from '../../../lib/mapping/spec';
import { createTransformer } from '../../../lib/mapping/transform';
import type { SourceSystem } from '../../../lib/model';
import { folderSource, sourceReaders } from '../../../lib/sources';
import { TODAY, ownersFor, registryFor } from '../helpers';

export const repositoryRoot = join(__dirname, '..', '..', '..');

export const SAMPLE_FOLDERS: Record<SourceSystem, string> = {
	'dental-exec': join(repositoryRoot, 'samples', 'dental-exec'),
	dentadmin: join(repositoryRoot, 'samples', 'dentadmin', 'nl'),
};

/**
 * Every plan of a bundled sample, as the text of its golden file: the default spec with the
 * export's referral pick-list, the test registry, pretty JSON with sorted keys. Absolute document
 * paths are written relative to the repository so the files hold on any machine.
 */
export async function samplePlanFiles(source: SourceSystem): Promise<Map<string, string>> {
	const folder = SAMPLE_FOLDERS[source];
	// Read the way the reader nodes read (DentAdmin adds its Practice and insurers the file lacks).
	const read = await sourceReaders[source](folderSource(folder));
	// The spec template 3 proposes for the sample (default map, pick-lists, extra columns).
	const { spec } = await proposeFromExport(source, folderSource(folder), {
		today: TODAY,
		report: read.report,
	});
	const input = {
		spec,
		confirmedSpecHash: specHash(spec),
		registry: registryFor(spec),
		owners: ownersFor(read.references),
	};
	const transformer = createTransformer(input);
	const plans = [
		...transformer.referenceEntities(read.references),
		...read.bundles.map((b) => transformer.bundle(b)),
	];
	const files = new Map<string, string>();
	for (const plan of plans) {
		for (const operation of plan.operations)
			if (operation.file) operation.file.path = relative(repositoryRoot, operation.file.path);
		files.set(
			`${plan.bundleKey.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`,
			`${canonicalJson(plan, '\t')}\n`,
		);
	}
	return files;
}
