"""Production switches: introspection, field suggestions and trusted documents.

``HUB_INTROSPECTION`` and ``HUB_FIELD_SUGGESTIONS`` are ``on`` (anyone),
``staff`` (agency officers and admins) or ``off``; in production both default
to ``staff``, in dev to ``on``. Suggestions are the "Did you mean ...?" hints
of validation errors, which spell out the schema to whoever guesses. With
``HUB_TRUSTED_DOCUMENTS`` only the manifest's operations run
(:mod:`hub.schema.trusted_documents`). Who the caller is comes from the
request's context, so these are checks around the (cached, caller-blind)
validation, not validation rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension

from hub.domain.access import Viewer
from hub.schema.trusted_documents import TrustedDocuments

Switch = Literal["on", "staff", "off"]
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def allows(switch: Switch, viewer: Viewer) -> bool:
    return switch == "on" or (switch == "staff" and viewer.is_staff)


def introspects(document: DocumentNode) -> bool:
    """Whether any operation or fragment of the document reads ``__schema`` or ``__type``."""
    def within(selection_set: SelectionSetNode | None) -> bool:
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FieldNode) and node.name.value in ("__schema", "__type"):
                return True
            if isinstance(node, (FieldNode, InlineFragmentNode)) and within(node.selection_set):
                return True
        return False

    return any(within(d.selection_set) for d in document.definitions
               if isinstance(d, (OperationDefinitionNode, FragmentDefinitionNode)))


def without_suggestions(error: GraphQLError) -> GraphQLError:
    message = _SUGGESTION.sub("", error.message)
    if message == error.message:
        return error
    return GraphQLError(message, nodes=error.nodes, source=error.source, positions=error.positions,
                        path=error.path, original_error=error.original_error, extensions=error.extensions)


class ProductionSwitches(SchemaExtension):
    """Place after ``ValidationCache``: the introspection check reads the validated document."""

    def __init__(self, *, introspection: Switch, suggestions: Switch, trusted: TrustedDocuments | None) -> None:
        self.introspection = introspection
        self.suggestions = suggestions
        self.trusted = trusted

    def _viewer(self) -> Viewer:
        return getattr(self.execution_context.context, "viewer", None) or Viewer()

    def on_operation(self) -> Iterator[None]:
        ec = self.execution_context
        if self.trusted is not None:
            ec.query = self.trusted.resolve(ec.query, ec.operation_extensions)
        yield
        result = ec.result
        errors = getattr(result, "errors", None)
        if result is not None and errors and not allows(self.suggestions, self._viewer()):
            result.errors = [without_suggestions(e) for e in errors]

    def on_validate(self) -> Iterator[None]:
        ec = self.execution_context
        if (not ec.pre_execution_errors and ec.graphql_document is not None
                and not allows(self.introspection, self._viewer()) and introspects(ec.graphql_document)):
            ec.pre_execution_errors = [GraphQLError(
                "GraphQL introspection is not available to you on this server",
                extensions={"code": "INTROSPECTION_DISABLED"})]
        yield
