/**
 * Writes schemas/mapping-spec.schema.json from the zod mapping spec.
 * Usage: npx tsx scripts/export-spec-schema.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mappingSpecJsonSchemaText } from '../lib/mapping/specJsonSchema';

const target = join(__dirname, '..', 'schemas', 'mapping-spec.schema.json');
writeFileSync(target, mappingSpecJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
