import type { SourceSystem } from '../../model';
import { sourceDefinition } from '../../registry/sources';
import type { MappingSpec } from '../spec';

/** The default spec of a source (from the source registry); `today` is the recency reference date. */
export function defaultSpec(source: SourceSystem, today: string): MappingSpec {
	return sourceDefinition(source).defaultSpec(today);
}
