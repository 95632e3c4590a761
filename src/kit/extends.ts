import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import type { ReferenceResolver } from './department';
import { extendedReference } from './references';

/*
 * Other departments' entities that a department extends with fields of its own (or only points
 * to), declared once each in the department's `extends.ts`: the factory emits the type-graphql class
 * (its `@key` field only; the owner resolves everything else) and the reference resolver that builds
 * it from a representation's key.
 */

/** A stub's class, with its GraphQL name and how the department resolves a representation of it. */
export type StubClass<T extends object> = (new () => T) & {
  readonly typeName: string;
  /** Absent for a type the department only points to (`resolvable: false`). */
  readonly reference?: ReferenceResolver;
};

/** The instance type of a stub class: `export type Person = Stub<typeof Person>`. */
export type Stub<C extends StubClass<object>> = InstanceType<C>;

export interface StubOptions {
  /** A description of the type in this subgraph; omitted, composition keeps the owner's. */
  description?: string;
  /** Refuses a malformed key before the department's fields run on it. */
  isKey?: (value: string) => boolean;
  /** The department only points to the type: the router never asks it for one. */
  pointsOnly?: boolean;
}

/** Declares the owner's `Int` fields a department `@requires` on a stub: `@external`, nullable (withheld or denied by the owner). */
export function externalCounts(prototype: object, fields: readonly string[]): void {
  for (const field of fields) {
    Directive('@external')(prototype, field);
    Field(() => Int, { nullable: true })(prototype, field);
  }
}

/**
 * A named, decorated class with the given fields (declared by `fields`), as type-graphql sees a
 * hand-written `@ObjectType() @Directive(…) class` — for the factories of stubs only.
 */
export function stubClass<T extends object>(
  typeName: string,
  directives: readonly string[],
  description: string | undefined,
  fields: (prototype: object) => void,
  reference: ((type: new () => T) => ReferenceResolver) | null,
): StubClass<T> {
  // The computed property names the class, so that errors and type-graphql's messages name the type.
  const type = { [typeName]: class {} }[typeName] as new () => T;
  fields(type.prototype as T);
  for (const sdl of directives) Directive(sdl)(type);
  ObjectType(typeName, description === undefined ? {} : { description })(type);
  return Object.assign(type, { typeName, ...(reference ? { reference: reference(type) } : {}) });
}

/** An entity another department owns, by its single key field (an ID). */
export function entityStub<K extends string, R extends string = never>(
  typeName: string,
  key: K,
  // The owner's `Int` fields this department's fields `@requires` (declared `@external`, carried by the reference).
  options: StubOptions & { requires?: readonly R[] } = {},
): StubClass<Record<K, string> & Record<R, number | null>> {
  const required = options.requires ?? [];
  return stubClass<Record<K, string> & Record<R, number | null>>(
    typeName,
    [`@key(fields: "${key}"${options.pointsOnly ? ', resolvable: false' : ''})`],
    options.description,
    (prototype) => {
      Field(() => ID)(prototype, key);
      externalCounts(prototype, required);
    },
    options.pointsOnly ? null : (type) => extendedReference(type, key, options.isKey, required),
  );
}

/** The reference resolvers of a department's stubs, by type name (for `DepartmentDefinition.referenceResolvers`). */
export function stubReferences(stubs: ReadonlyArray<StubClass<object>>): Record<string, ReferenceResolver> {
  return Object.fromEntries(stubs.flatMap((s) => (s.reference ? [[s.typeName, s.reference]] : [])));
}

/** A stub from its key: the target of a link to another department's entity. */
export function stubOf<T extends object>(type: StubClass<T>, key: T): T {
  return Object.assign(new type(), key);
}
