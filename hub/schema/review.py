"""The public schema as reviewers see it: its SDL snapshot and what it leaves undescribed.

``docs/schema.graphql`` is the schema as printed by ``hub export-schema``;
a test compares it with the schema the code builds, so every change to the
public API shows up as a diff of that file in review (regenerate it with
``hub export-schema -o docs/schema.graphql``). ``hub export-schema
--undescribed`` lists the types and fields that still have no description.

:func:`undeprecated_breaks` is the evolution rule (docs/api.md): a change
that breaks clients (a field, argument, enum value or type removed or
retyped) is allowed only on an element the snapshot already marks
``@deprecated``, so clients were told first.
"""

from __future__ import annotations

import re

from graphql import (
    BreakingChange,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    find_breaking_changes,
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


# How graphql-core names the element a change breaks (3.3 wording first, 3.2's after the bar)
_ARGUMENT = re.compile(r"^(?:Argument )?(\w+)\.(\w+)\((\w+):\)|^(\w+)\.(\w+) arg (\w+)\b")
_ENUM_VALUE = re.compile(r"^Enum value (\w+)\.(\w+) was removed|^(\w+) was removed from enum type (\w+)\b")
_FIELD = re.compile(r"^(?:Field )?(\w+)\.(\w+)\b")


def _deprecated(schema: GraphQLSchema, change: BreakingChange) -> bool:
    """Whether the element ``change`` breaks was marked deprecated in ``schema`` (the old one)."""
    if found := _ARGUMENT.match(change.description):
        type_name, field_name, arg_name = [part for part in found.groups() if part is not None]
        kind = schema.type_map.get(type_name)
        field = getattr(kind, "fields", {}).get(field_name)
        arg = field.args.get(arg_name) if field is not None else None
        return bool(arg is not None and arg.deprecation_reason)
    if found := _ENUM_VALUE.match(change.description):
        type_name, value_name = found.group(1, 2) if found.group(1) else found.group(4, 3)
        kind = schema.type_map.get(type_name)
        value = kind.values.get(value_name) if isinstance(kind, GraphQLEnumType) else None
        return bool(value is not None and value.deprecation_reason)
    if found := _FIELD.match(change.description):
        type_name, field_name = found.groups()
        field = getattr(schema.type_map.get(type_name), "fields", {}).get(field_name)
        return bool(field is not None and field.deprecation_reason)
    return False  # a type removed or changed in kind: types cannot be deprecated, so it is never allowed


def undeprecated_breaks(old_sdl: str, new: GraphQLSchema) -> list[str]:
    """The breaking changes from ``old_sdl`` (the reviewed snapshot) to ``new`` not announced by a deprecation."""
    old = build_schema(old_sdl, assume_valid_sdl=True)
    return [f"{change.type.name}: {change.description}" for change in find_breaking_changes(old, new)
            if not _deprecated(old, change)]
