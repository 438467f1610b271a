import type { PlanFinding } from '../../plan/plan';
import type { FieldRegistry, OwnerMap } from '../../pipedrive/schemaRequirements';
import type { MappingSpec } from '../spec';
import type { ConvertOptions } from './values';

/** Everything a rule needs besides the records themselves. */
export interface TransformInput {
	spec: MappingSpec;
	/** Must equal `specHash(spec)`: Transform refuses anything else (see confirm.ts). */
	confirmedSpecHash: string;
	registry: FieldRegistry;
	owners: OwnerMap;
	/** HMAC key for pseudonymised fields; required only when the spec pseudonymises one. */
	pseudonymKey?: string;
}

export class TransformContext {
	readonly findings: PlanFinding[] = [];
	private readonly reported = new Set<string>();

	constructor(
		readonly input: TransformInput,
		readonly specHash: string,
	) {}

	get spec(): MappingSpec {
		return this.input.spec;
	}

	get registry(): FieldRegistry {
		return this.input.registry;
	}

	get convertOptions(): ConvertOptions {
		return {
			currency: this.spec.rules.currency,
			yesNo: this.spec.valueMaps.yesNo,
		};
	}

	/** Record a finding once per (key, code, message): never with patient values in the message. */
	report(severity: PlanFinding['severity'], key: string, code: string, message: string): void {
		const id = `${key}\u0000${code}\u0000${message}`;
		if (this.reported.has(id)) return;
		this.reported.add(id);
		this.findings.push({ severity, key, code, message });
	}

	/**
	 * The Pipedrive user that owns a record: the provider's user from the owner map (Match Users
	 * puts every provider there, unmatched ones with the fallback owner); no provider → fallback.
	 */
	owner(providerKey: string | undefined, recordKey: string): number {
		if (providerKey === undefined) return this.input.owners.fallbackUserId;
		return this.providerUser(providerKey, recordKey);
	}

	/** A note's author by the owner rule; no author → undefined (Pipedrive writes the API user). */
	author(providerKey: string | undefined, recordKey: string): number | undefined {
		return providerKey === undefined ? undefined : this.providerUser(providerKey, recordKey);
	}

	/**
	 * A provider missing from the owner map was never given to Match Users (a wiring error, as in
	 * issue 12): the fallback owner takes the record, and a warning says so instead of it passing
	 * for an unmatched provider.
	 */
	private providerUser(providerKey: string, recordKey: string): number {
		const user = this.input.owners.owners[providerKey];
		if (user !== undefined) return user;
		this.report(
			'warning',
			recordKey,
			'provider-not-in-owner-map',
			`Provider ${providerKey} is not in the owner map, so the fallback owner takes this record. Match Users lists every provider it is given (unmatched ones with the fallback owner): give it the reader's records ($('<reader node name>').all(0)) and run again.`,
		);
		return this.input.owners.fallbackUserId;
	}

	activityType(name: string): string {
		const key = this.registry.activityTypes[name];
		if (key === undefined) throw new Error(`Activity type "${name}" is not in the field registry`);
		return key;
	}
}
