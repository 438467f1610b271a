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
	 * The Pipedrive user that owns a record: the provider's matched user, else the fallback
	 * owner (reported so the practice can review it).
	 */
	owner(providerKey: string | undefined, recordKey: string): number {
		if (providerKey === undefined) return this.input.owners.fallbackUserId;
		const owner = this.input.owners.owners[providerKey];
		if (owner !== undefined) return owner;
		this.report(
			'warning',
			recordKey,
			'owner-fallback',
			`Provider ${providerKey} has no matched Pipedrive user: the fallback owner owns this record. Match the provider by email to change it.`,
		);
		return this.input.owners.fallbackUserId;
	}

	/** The matched user of a provider, or undefined (for note authors, where Pipedrive allows none). */
	matchedUser(providerKey: string | undefined): number | undefined {
		return providerKey === undefined ? undefined : this.input.owners.owners[providerKey];
	}

	activityType(name: string): string {
		const key = this.registry.activityTypes[name];
		if (key === undefined) throw new Error(`Activity type "${name}" is not in the field registry`);
		return key;
	}
}
