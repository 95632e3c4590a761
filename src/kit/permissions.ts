import { Arg, Ctx, Directive, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { checkTypeName } from '../shared/validate';
import type { SubgraphContext } from './context';

@ObjectType({ description: 'What the caller gets for one field, and the rule behind it.' })
@Directive('@shareable')
export class FieldPermission {
  @Field({ description: "The field's name." })
  field!: string;

  @Field({ description: 'The policy rule for your agency, in words.' })
  rule!: string;

  @Field({ description: 'Sensitive fields are recorded in the audit trail whenever they are resolved.' })
  sensitive!: boolean;
}

@ObjectType({ description: 'The policy for one type, as it applies to the caller.' })
@Directive('@shareable')
export class TypePermissions {
  @Field({ description: 'The GraphQL type explained.' })
  type!: string;

  @Field({ description: 'Your agency, whose rules apply.' })
  agency!: string;

  @Field({ description: "Whether the type's fields not listed below (not sensitive) are visible to you." })
  visible!: boolean;

  @Field(() => [String], { description: 'Your jurisdiction codes (conditions on jurisdiction test records against them).' })
  jurisdiction!: string[];

  @Field(() => [FieldPermission], { description: 'The sensitive fields of the type.' })
  fields!: FieldPermission[];
}

/** `myPermissions`: every subgraph answers it the same way from the same policy file. */
@Resolver()
export class PermissionsResolver {
  @Query(() => TypePermissions, { description: 'Explains which fields of a type you may see, and why.' })
  @Directive('@shareable')
  myPermissions(@Arg('type', { description: 'A GraphQL type name, e.g. `Person`.' }) type: string, @Ctx() ctx: SubgraphContext): TypePermissions {
    const { policy, viewer } = ctx;
    checkTypeName('type', type);
    const tp = policy.typePolicy(type);
    const fields = Object.keys(tp?.fields ?? {}).map((field) => ({ field, ...policy.explain(type, field, viewer.agency) }));
    const visible = !!tp && (tp.visible === 'all' || tp.visible.includes(viewer.agency));
    return { type, agency: viewer.agency, visible, jurisdiction: viewer.jurisdiction, fields };
  }
}
