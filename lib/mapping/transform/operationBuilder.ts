import type { MappedField, PipedriveObject, PlanOperation } from '../../plan/plan';
import { SOURCE_KEY_FIELD_NAME } from '../../pipedrive/schemaRequirements';
import type { FieldObject } from '../../pipedrive/schemaRequirements';
import type { CanonicalFieldName } from '../canonicalFields';
import { isCustomTarget } from '../spec';
import type { CustomTarget } from '../spec';
import type { TransformContext } from './context';
import { writeStandardField } from './standardFields';
import { applyTransform, pseudonymise, toCustomFieldValue } from './values';
import type { Value } from './values';

/**
 * Builds one plan operation. Rules hand it canonical values; the spec decides where each lands
 * (standard field, custom field by the registry's hash, or nowhere), and the builder records the
 * mapped field for the diff report. Custom values go under `custom_fields` (API v2) unless the
 * operation is a v1 lead, which takes deal-field hashes at the top level.
 */
export class OperationBuilder {
	private readonly body: Record<string, unknown> = {};
	private readonly customFields: Record<string, unknown> = {};
	private readonly refs: Record<string, string> = {};
	private readonly fields: MappedField[] = [];
	private readonly emptyFields: MappedField[] = [];

	constructor(
		private readonly ctx: TransformContext,
		readonly object: PipedriveObject,
		readonly key: string,
		readonly bundleKey: string,
	) {}

	/** The object whose custom fields this operation writes (leads use deal fields). */
	private get fieldObject(): FieldObject | undefined {
		if (this.object === 'lead') return 'deal';
		if (this.object === 'person' || this.object === 'organization' || this.object === 'deal')
			return this.object;
		return undefined;
	}

	/** A field the rule sets itself (owner, status, due date…): not routed by the spec. */
	fixed(canonical: string, path: string, fieldType: string, value: unknown): this {
		if (value === undefined) return this;
		this.body[path] = value;
		this.fields.push({ canonical, path, label: path, fieldType });
		return this;
	}

	/** A reference to another migrated record, resolved to its Pipedrive id by the Ledger. */
	reference(canonical: string, path: string, key: string | undefined): this {
		if (key === undefined) return this;
		this.refs[path] = key;
		this.fields.push({ canonical, path, label: path, fieldType: 'reference' });
		return this;
	}

	/** Every person, organization, deal and lead carries its source key (journal rebuild). */
	sourceKey(): this {
		return this.custom(
			'sourceKey',
			{ object: this.fieldObject ?? 'person', custom: SOURCE_KEY_FIELD_NAME },
			{ type: 'text', value: this.key },
		);
	}

	/** A value routed by the spec's target for `canonical`. */
	mapped(canonical: CanonicalFieldName, value: Value | undefined): this {
		if (value === undefined) return this.empty(canonical);
		const target = this.ctx.spec.fields[canonical];
		if (target === undefined) {
			this.ctx.report(
				'warning',
				this.bundleKey,
				'field-unmapped',
				`${canonical} has values but no target in the mapping spec: add a target or exclude it.`,
			);
			return this;
		}
		if ('exclude' in target) return this;
		if (isCustomTarget(target)) return this.custom(canonical, target, value);
		const transformed = applyTransform(value, target.transform);
		const written = writeStandardField(this.object, target.standard, transformed);
		if (!written.ok) {
			this.problem(canonical, written.problem);
			return this;
		}
		if (written.ref !== undefined) return this.reference(canonical, target.standard, written.ref);
		this.body[target.standard] = written.value;
		this.fields.push({
			canonical,
			path: target.standard,
			label: target.standard,
			fieldType: written.fieldType,
		});
		return this;
	}

	/**
	 * A field the spec maps here but the source leaves empty: nothing is sent, but the Ledger
	 * journals it as written empty, so a rollback or delta sees a value the practice types in later.
	 * Not `add_time`: Pipedrive fills it itself.
	 */
	private empty(canonical: CanonicalFieldName): this {
		const target = this.ctx.spec.fields[canonical];
		if (target === undefined || 'exclude' in target) return this;
		if (!isCustomTarget(target)) {
			if (target.object === this.object && target.standard !== 'add_time')
				this.emptyFields.push({
					canonical,
					path: target.standard,
					label: target.standard,
					fieldType: 'text',
				});
			return this;
		}
		const registered =
			target.object === this.fieldObject
				? this.ctx.registry.fields[target.object][target.custom]
				: undefined;
		if (registered === undefined) return this;
		this.emptyFields.push({
			canonical,
			path: this.object === 'lead' ? registered.key : `custom_fields.${registered.key}`,
			label: target.custom,
			fieldType: registered.fieldType,
		});
		return this;
	}

	/** A custom-field value with an explicit target (unknown columns, the source key). */
	custom(canonical: string, target: CustomTarget, value: Value | undefined): this {
		if (value === undefined) return this;
		const object = this.fieldObject;
		if (object === undefined || object !== target.object) {
			this.problem(
				canonical,
				`its target is a ${target.object} field but this is a ${this.object}`,
			);
			return this;
		}
		const registered = this.ctx.registry.fields[object][target.custom];
		if (registered === undefined) {
			this.problem(canonical, `custom field "${target.custom}" is not in the field registry`);
			return this;
		}
		let prepared: Value | undefined = applyTransform(value, target.transform);
		if (target.pseudonymise !== undefined) {
			const key = this.ctx.input.pseudonymKey;
			if (key === undefined)
				throw new Error(`${canonical} is pseudonymised but no pseudonym key was given`);
			prepared = pseudonymise(prepared, key, this.ctx.convertOptions);
			if (prepared === undefined) return this;
		}
		const path = this.object === 'lead' ? registered.key : `custom_fields.${registered.key}`;
		if (prepared.type === 'ref') return this.reference(canonical, path, prepared.key);
		const converted = toCustomFieldValue(prepared, registered, this.ctx.convertOptions);
		if (!converted.ok) {
			this.problem(canonical, converted.problem);
			return this;
		}
		if (this.object === 'lead') this.body[registered.key] = converted.value;
		else this.customFields[registered.key] = converted.value;
		this.fields.push({
			canonical,
			path,
			label: target.custom,
			fieldType: registered.fieldType,
		});
		return this;
	}

	private problem(canonical: string, problem: string): void {
		this.ctx.report(
			'warning',
			this.key,
			'value-not-written',
			`${canonical} was not written: ${problem}. Fix the spec or the source value.`,
		);
	}

	build(file?: PlanOperation['file']): PlanOperation {
		const body = { ...this.body };
		if (Object.keys(this.customFields).length > 0) body.custom_fields = { ...this.customFields };
		const operation: PlanOperation = {
			object: this.object,
			key: this.key,
			bundleKey: this.bundleKey,
			body,
			refs: { ...this.refs },
			fields: [...this.fields],
		};
		if (this.emptyFields.length > 0) operation.emptyFields = [...this.emptyFields];
		if (file !== undefined) operation.file = file;
		return operation;
	}
}
