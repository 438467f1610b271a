import type { SourceSystem } from '../../model';
import type { MappingSpec } from '../spec';
import { dentAdminDefaultSpec } from './dentAdmin';
import { dentalExecDefaultSpec } from './dentalExec';

/** The default spec of a source; `today` is the recency reference date the spec records. */
export function defaultSpec(source: SourceSystem, today: string): MappingSpec {
	return source === 'dental-exec' ? dentalExecDefaultSpec(today) : dentAdminDefaultSpec(today);
}
