import type { Type } from '@nestjs/common';

/** JSON Schema, as much of it as Tally's DTOs use. */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  [keyword: string]: unknown;
}

// Where @nestjs/swagger keeps what @ApiProperty says about a DTO's properties.
const PROPERTY_NAMES = 'swagger/apiModelPropertiesArray';
const PROPERTY = 'swagger/apiModelProperties';

// The keywords that validate; the rest of @ApiProperty (example, description) only documents.
const VALIDATING = [
  'pattern',
  'minLength',
  'maxLength',
  'format',
  'minimum',
  'maximum',
  'enum',
  'minItems',
  'maxItems',
  'uniqueItems',
] as const;

interface PropertyMetadata {
  type?: unknown;
  isArray?: boolean;
  required?: boolean;
  items?: JsonSchema;
  [keyword: string]: unknown;
}

function typeName(type: unknown): string | undefined {
  if (type === String) return 'string';
  if (type === Number) return 'number';
  if (type === Boolean) return 'boolean';
  return typeof type === 'string' ? type : undefined;
}

function propertySchema(name: string, metadata: PropertyMetadata, owner: string): JsonSchema {
  const type = typeName(metadata.type);
  if (type === undefined) throw new Error(`${owner}.${name}: @ApiProperty needs a JSON type`);
  const schema: JsonSchema = {};
  for (const keyword of VALIDATING) {
    if (metadata[keyword] !== undefined) schema[keyword] = metadata[keyword];
  }
  if (metadata.isArray === true || type === 'array') {
    const items = metadata.items ?? { type };
    return { ...schema, type: 'array', items };
  }
  return { ...schema, type };
}

const cache = new Map<Type, JsonSchema>();

/**
 * The JSON Schema that validates a DTO, read from the @ApiProperty decorators that also write
 * its OpenAPI document: one description of each request shape, so the two cannot disagree.
 * Properties are required unless @ApiPropertyOptional; no others are allowed.
 */
export function schemaOf(dto: Type): JsonSchema {
  const known = cache.get(dto);
  if (known) return known;
  const names = (
    (Reflect.getMetadata(PROPERTY_NAMES, dto.prototype as object) as string[] | undefined) ?? []
  ).map((key) => key.replace(/^:/, ''));
  if (names.length === 0) throw new Error(`${dto.name} has no @ApiProperty: nothing to validate`);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const name of names) {
    const metadata = Reflect.getMetadata(
      PROPERTY,
      dto.prototype as object,
      name,
    ) as PropertyMetadata;
    properties[name] = propertySchema(name, metadata, dto.name);
    if (metadata.required !== false) required.push(name);
  }
  const schema: JsonSchema = { type: 'object', properties, required, additionalProperties: false };
  cache.set(dto, schema);
  return schema;
}
