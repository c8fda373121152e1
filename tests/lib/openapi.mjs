// docs/api/openapi.yaml for tests: validated with a real OpenAPI validator,
// and a checker of live answers against the documented statuses and schemas.
import assert from 'node:assert/strict';
import SwaggerParser from '@apidevtools/swagger-parser';

// A small JSON Schema checker for the keywords the document uses; returns
// the list of mismatches, each with the JSON path where it was found.
function mismatches(schema, value, path = '$') {
  const out = [];
  if (schema.allOf) for (const s of schema.allOf) out.push(...mismatches(s, value, path));
  if (schema.oneOf) {
    const fits = schema.oneOf.filter((s) => mismatches(s, value, path).length === 0).length;
    if (fits !== 1) out.push(`${path}: fits ${fits} of the oneOf alternatives`);
  }
  const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
  if (schema.type) {
    const actual = typeOf(value);
    const allowed = [schema.type].flat();
    if (!allowed.includes(actual) && !(actual === 'integer' && allowed.includes('number'))) {
      out.push(`${path}: is ${actual}, documented as ${allowed.join('|')}`);
      return out;
    }
  }
  if (schema.enum && !schema.enum.includes(value)) out.push(`${path}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  if ('const' in schema && value !== schema.const) out.push(`${path}: ${JSON.stringify(value)} is not ${schema.const}`);
  if (schema.pattern && typeof value === 'string' && !new RegExp(schema.pattern).test(value)) out.push(`${path}: ${value} does not match ${schema.pattern}`);
  if (schema.format === 'date-time' && typeof value === 'string' && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value)) out.push(`${path}: ${value} is not an RFC 3339 time`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) out.push(`${path}: ${value} < ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) out.push(`${path}: ${value} > ${schema.maximum}`);
  }
  if (typeOf(value) === 'object') {
    for (const name of schema.required ?? []) if (!(name in value)) out.push(`${path}: lacks the required ${name}`);
    for (const [name, s] of Object.entries(schema.properties ?? {})) if (name in value) out.push(...mismatches(s, value[name], `${path}.${name}`));
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => out.push(...mismatches(schema.items, item, `${path}[${i}]`)));
  return out;
}

// Checks one answer against the operation `method path` of the document and
// returns the parsed body.
function checker(spec) {
  return async function conforms(response, method, path) {
    const operation = spec.paths[path]?.[method.toLowerCase()];
    assert.ok(operation, `${method} ${path} is documented`);
    const documented = operation.responses[String(response.status)];
    assert.ok(documented, `${method} ${path} answered ${response.status}, which is not documented (${Object.keys(operation.responses).join(', ')})`);
    const type = (response.headers.get('content-type') ?? '').split(';')[0];
    if (!documented.content) {
      assert.equal(await response.text(), '', `${method} ${path} ${response.status} has no documented body`);
      return undefined;
    }
    assert.ok(documented.content[type], `${method} ${path} ${response.status} answered ${type}, documented ${Object.keys(documented.content).join(', ')}`);
    if (!type.includes('json')) return response.text();
    const body = await response.json();
    assert.deepEqual(mismatches(documented.content[type].schema, body), [], `${method} ${path} ${response.status}`);
    return body;
  };
}

export async function loadSpec(path) {
  const spec = await SwaggerParser.validate(path);
  return { spec, conforms: checker(spec) };
}

