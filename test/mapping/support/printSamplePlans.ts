/** Prints every plan of a bundled sample, for the cross-process determinism test. */
import { samplePlanFiles } from './samplePlans';

samplePlanFiles(process.argv[2] as 'dental-exec' | 'dentadmin').then((files) => {
	for (const [name, text] of files) process.stdout.write(`${name}\n${text}`);
});
