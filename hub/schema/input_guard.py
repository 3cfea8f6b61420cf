"""Every value an operation carries is checked before it runs.

One place for the rules of :mod:`hub.domain.bounds`, whatever the transport
(HTTP, WebSocket) and whether a value is written in the document or passed
as a variable: each argument of each field in the operation, and each field
of its input objects, is walked with its GraphQL type.

- text holds no NUL and no lone surrogate, and is at most its field's
  declared length (``bounded(200)``), else :data:`~hub.domain.bounds.MAX_TEXT`
  characters (an ID :data:`~hub.domain.bounds.MAX_ID`);
- a number declared with a range (a latitude inside Indonesia, a ``limit``)
  is inside it.

A value out of bounds refuses the whole operation with one ``BAD_USER_INPUT``
error naming the argument (``input.reporter.name``): nothing has run, so
nothing reached the database. Values that do not fit their GraphQL type are
left to graphql-core, which says so in the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLID,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_operation_ast,
)
from graphql.execution.values import get_argument_values, get_variable_values
from strawberry.extensions import SchemaExtension

from hub.domain.bounds import BOUNDS, MAX_ID, MAX_TEXT, Bounds, text_problem
from hub.resolvers.errors import BadInput

DEFINITION = "strawberry-definition"


class InputGuard(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.result is None:
            error = first_problem(context.schema._schema, document, context.operation_name, context.variables or {})
            if error is not None:
                context.result = ExecutionResult(data=None, errors=[error])
        yield


def first_problem(schema: GraphQLSchema, document: Any, operation_name: str | None,
                  variables: Mapping[str, Any]) -> GraphQLError | None:
    for path, value in _raw_texts(variables, "$"):
        problem = text_problem(value)
        if problem is not None:
            return BadInput(f"`{path}` {problem}", field=path)
        if len(value) > MAX_TEXT:
            return BadInput(f"`{path}` is longer than {MAX_TEXT} characters", field=path)
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None
    coerced = get_variable_values(schema, operation.variable_definitions or (), dict(variables))
    if isinstance(coerced, list):
        return None  # graphql-core says which variable is wrong
    root = _root_type(schema, operation)
    if root is None:
        return None
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    walk = _Walk(schema, fragments, coerced)
    try:
        walk.selections(root, operation.selection_set)
    except BadInput as error:
        return error
    return None


def _root_type(schema: GraphQLSchema, operation: OperationDefinitionNode) -> GraphQLObjectType | None:
    return {"query": schema.query_type, "mutation": schema.mutation_type,
            "subscription": schema.subscription_type}[operation.operation.value]


class _Walk:
    def __init__(self, schema: GraphQLSchema, fragments: Mapping[str, FragmentDefinitionNode],
                 variables: dict[str, Any]) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def selections(self, parent: Any, selection_set: SelectionSetNode | None) -> None:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self.field(parent, selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                self.selections(self.schema.get_type(condition.name.value) if condition else parent,
                                selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    self.selections(self.schema.get_type(fragment.type_condition.name.value), fragment.selection_set)

    def field(self, parent: Any, node: FieldNode) -> None:
        name = node.name.value
        fields = getattr(parent, "fields", None)
        if name.startswith("__") or not fields or name not in fields:
            return
        definition = fields[name]
        if node.arguments:
            try:
                values = get_argument_values(definition, node, self.variables)
            except GraphQLError:
                values = None  # the executor reports it
            if values is not None:
                for arg_name, argument in definition.args.items():
                    key = argument.out_name or arg_name
                    if key in values:
                        self.value(argument.type, values[key], _bounds_of(argument), arg_name)
        self.selections(_named(definition.type), node.selection_set)

    def value(self, type_: Any, value: Any, bounds: Bounds | None, path: str) -> None:
        if value is None:
            return
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        if isinstance(type_, GraphQLList):
            for index, item in enumerate(value if isinstance(value, list) else [value]):
                self.value(type_.of_type, item, bounds, f"{path}[{index}]")
            return
        if isinstance(type_, GraphQLInputObjectType):
            if isinstance(value, Mapping):
                for name, field in type_.fields.items():
                    key = field.out_name or name
                    if key in value:
                        self.value(field.type, value[key], _bounds_of(field), f"{path}.{name}")
            return
        if isinstance(value, str):
            problem = text_problem(value)
            if problem is not None:
                raise BadInput(f"`{path}` {problem}", field=path)
            limit = MAX_ID if type_ is GraphQLID else MAX_TEXT
            if len(value) > limit and (bounds is None or bounds.max_length is None):
                raise BadInput(f"`{path}` is longer than {limit} characters", field=path)
        if bounds is not None:
            problem = bounds.problem(value)
            if problem is not None:
                raise BadInput(f"`{path}` {problem}", field=path)


def _bounds_of(definition: Any) -> Bounds | None:
    declared = (definition.extensions or {}).get(DEFINITION)
    metadata = getattr(declared, "metadata", None) or {}
    return metadata.get(BOUNDS)


def _named(type_: Any) -> Any:
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    return type_


def _raw_texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string in the variables as sent, keys included, with where it is."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str):
                yield path, key
                yield from _raw_texts(item, f"{path}.{key}" if path != "$" else f"${key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _raw_texts(item, f"{path}[{index}]")
