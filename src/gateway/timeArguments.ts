import {
  GraphQLError,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import { badInput } from '../shared/errors';
import { TIME_SCALARS } from '../shared/scalars';

type Variables = Readonly<Record<string, unknown>> | undefined;

/**
 * Refuses a `Date` or `DateTime` argument that is not one, naming it (`filter.from`,
 * `input.startedOn`), before any subgraph is called. The gateway's supergraph knows the scalars by
 * name only and passes any string; each subgraph's scalar would refuse it too, but as a validation
 * error that names no argument. Checks literals and variables, inside input objects and lists.
 * A variable holding no value of its enum (`kind: "FIRE"`) is refused the same way, naming the
 * argument, where variable coercion would name only the variable (an enum literal fails validation).
 */
export function checkTimeArguments(schema: GraphQLSchema, document: DocumentNode, variables: Variables): void {
  for (const a of argumentsOf(schema, document)) checkNode(a.value, a.type, a.name, variables);
}

interface TypedArgument {
  value: ValueNode;
  type: GraphQLInputType;
  name: string;
}

/**
 * The document's arguments with their types, found once per schema and document: Apollo Server
 * hands the same parsed document for the same query text, and walking it with type information
 * on every request was ~2 % of the gateway's CPU in the person view's profile.
 */
const typedArguments = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, TypedArgument[]>>();

function argumentsOf(schema: GraphQLSchema, document: DocumentNode): TypedArgument[] {
  let bySchema = typedArguments.get(schema);
  if (!bySchema) typedArguments.set(schema, (bySchema = new WeakMap()));
  let found = bySchema.get(document);
  if (found) return found;
  found = [];
  const typeInfo = new TypeInfo(schema);
  const into = found;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const argument = typeInfo.getArgument();
        if (argument) into.push({ value: node.value, type: argument.type, name: node.name.value });
      },
    }),
  );
  bySchema.set(document, found);
  return found;
}

function refused(expected: string, path: string): GraphQLError {
  const error = badInput(path, expected);
  // A caller's mistake found before the query plan: 400, not the 500 Apollo gives a plugin's error by default.
  error.extensions.http = { status: 400 };
  return error;
}

function checkNode(node: ValueNode, type: GraphQLInputType, path: string, variables: Variables): void {
  if (isNonNullType(type)) {
    checkNode(node, type.ofType, path, variables);
    return;
  }
  if (node.kind === Kind.VARIABLE) {
    checkValue(variables?.[node.name.value], type, path);
    return;
  }
  if (node.kind === Kind.NULL) return;
  if (isListType(type)) {
    if (node.kind === Kind.LIST) node.values.forEach((item, i) => checkNode(item, type.ofType, `${path}[${i}]`, variables));
    else checkNode(node, type.ofType, path, variables);
    return;
  }
  if (isInputObjectType(type) && node.kind === Kind.OBJECT) {
    const fields = type.getFields();
    for (const field of node.fields) {
      const def = fields[field.name.value];
      if (def) checkNode(field.value, def.type, `${path}.${field.name.value}`, variables);
    }
    return;
  }
  const time = isScalarType(type) ? TIME_SCALARS.get(type.name) : undefined;
  if (!time) return;
  try {
    time.scalar.parseLiteral(node, variables);
  } catch {
    throw refused(time.expected, path);
  }
}

function checkValue(value: unknown, type: GraphQLInputType, path: string): void {
  if (isNonNullType(type)) {
    checkValue(value, type.ofType, path);
    return;
  }
  if (value === null || value === undefined) return;
  if (isEnumType(type)) {
    if (typeof value !== 'string' || !type.getValue(value))
      throw refused(
        `expected one of ${type
          .getValues()
          .map((v) => v.name)
          .join(', ')}`,
        path,
      );
    return;
  }
  if (isListType(type)) {
    if (Array.isArray(value)) value.forEach((item, i) => checkValue(item, type.ofType, `${path}[${i}]`));
    else checkValue(value, type.ofType, path);
    return;
  }
  if (isInputObjectType(type) && typeof value === 'object') {
    for (const [name, def] of Object.entries(type.getFields())) checkValue((value as Record<string, unknown>)[name], def.type, `${path}.${name}`);
    return;
  }
  const time = isScalarType(type) ? TIME_SCALARS.get(type.name) : undefined;
  if (!time) return;
  try {
    time.scalar.parseValue(value);
  } catch {
    throw refused(time.expected, path);
  }
}
