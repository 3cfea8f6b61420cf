"""Depth and alias limits as one validation rule, in time linear in the document.

Strawberry's ``QueryDepthLimiter`` and ``MaxAliasesLimiter`` walk every
fragment again at every place it is spread, so a chain of fragments that each
spread the next twice (``fragment F1 on Region { ...F2 ...F2 }``, forty
deep) keeps the validation busy for hours on a document of 2,000 tokens.
This rule measures each fragment once and reuses the measure; the limits and
messages are those of strawberry's extensions (introspection fields do not
count toward the depth; graphql-core bounds their depth itself).
"""

from __future__ import annotations

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)


def shape_limits(*, max_depth: int, max_aliases: int) -> type[ValidationRule]:
    class ShapeLimits(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            document = context.document
            fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
            measured: dict[str, tuple[int, int]] = {}
            measuring: set[str] = set()

            def measure(selection_set: SelectionSetNode | None) -> tuple[int, int]:
                """(depth, aliases) of a selection set, fragments expanded."""
                depth = aliases = 0
                for node in selection_set.selections if selection_set else ():
                    if isinstance(node, FieldNode):
                        aliases += 1 if node.alias else 0
                        if node.selection_set is not None:
                            below, more = measure(node.selection_set)
                            aliases += more
                            if not node.name.value.startswith("__"):
                                depth = max(depth, 1 + below)
                    elif isinstance(node, InlineFragmentNode):
                        below, more = measure(node.selection_set)
                        depth, aliases = max(depth, below), aliases + more
                    elif isinstance(node, FragmentSpreadNode):
                        name = node.name.value
                        if name not in fragments or name in measuring:  # other rules report these
                            continue
                        if name not in measured:
                            measuring.add(name)
                            measured[name] = measure(fragments[name].selection_set)
                            measuring.discard(name)
                        below, more = measured[name]
                        depth, aliases = max(depth, below), aliases + more
                return depth, aliases

            total_aliases = 0
            for definition in document.definitions:
                if not isinstance(definition, OperationDefinitionNode):
                    continue
                depth, aliases = measure(definition.selection_set)
                total_aliases += aliases
                if depth > max_depth:
                    name = definition.name.value if definition.name else "anonymous"
                    context.report_error(GraphQLError(
                        f"'{name}' exceeds maximum operation depth of {max_depth}", [definition]))
            if total_aliases > max_aliases:
                context.report_error(GraphQLError(f"{total_aliases:,} aliases found. Allowed: {max_aliases}"))

    return ShapeLimits
