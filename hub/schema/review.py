"""The public schema as reviewers see it: its SDL snapshot and what it leaves undescribed.

``docs/schema.graphql`` is the schema as printed by ``hub export-schema``;
a test compares it with the schema the code builds, so every change to the
public API shows up as a diff of that file in review (regenerate it with
``hub export-schema -o docs/schema.graphql``). ``hub export-schema
--undescribed`` lists the types and fields that still have no description.
"""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
)

# Types the Apollo Federation spec adds; their descriptions are the spec's business
FEDERATION = frozenset({"_Service", "_Entity", "_Any", "link__Import", "link__Purpose", "FieldSet", "federation__FieldSet",
                        "federation__Policy", "federation__Scope"})
ROOTS = frozenset({"Query", "Mutation", "Subscription"})  # described by their fields


def undescribed(schema: GraphQLSchema) -> list[str]:
    """Every type (``Type``) and field (``Type.field``) without a description, sorted."""
    found: list[str] = []
    for name, kind in schema.type_map.items():
        if name.startswith("__") or name in FEDERATION:
            continue
        if isinstance(kind, (GraphQLObjectType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLEnumType)):
            if not kind.description and name not in ROOTS:
                found.append(name)
        if isinstance(kind, (GraphQLObjectType, GraphQLInputObjectType, GraphQLInterfaceType)):
            found += [f"{name}.{field}" for field, value in kind.fields.items()
                      if not value.description and not field.startswith("_")]
    return sorted(found)
