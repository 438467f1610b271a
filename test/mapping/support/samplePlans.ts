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
	const { plans } = await samplePlans(source);
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

/**
 * A bundled sample read the way the reader nodes read (DentAdmin adds its Practice and insurers
 * the file lacks), the spec template 3 proposes for it (default map, pick-lists, extra columns),
 * the test registry, and every plan the Mapper makes of it.
 */
export async function samplePlans(source: SourceSystem) {
	const folder = SAMPLE_FOLDERS[source];
	const read = await sourceReaders[source](folderSource(folder));
	const { spec } = await proposeFromExport(source, folderSource(folder), {
		today: TODAY,
		report: read.report,
	});
	const registry = registryFor(spec);
	const transformer = createTransformer({
		spec,
		confirmedSpecHash: specHash(spec),
		registry,
		owners: ownersFor(read.references),
	});
	const plans = [
		...transformer.referenceEntities(read.references),
		...read.bundles.map((b) => transformer.bundle(b)),
	];
	return { read, spec, registry, plans };
}
