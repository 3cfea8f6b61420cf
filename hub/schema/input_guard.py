"""Every value an operation carries is checked before it runs.

One place for the rules of :mod:`hub.domain.bounds`, whatever the transport
(HTTP, WebSocket) and whether a value is written in the document or passed
as a variable: each argument of each field in the operation, and each field
of its input objects, is walked with its GraphQL type. The walk is made once
per document (parsed documents are cached, so a client's repeated query
costs a lookup): it checks the values written in the document and notes
where each variable goes; each request then checks only its variables.

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

import math
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FloatValueNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLID,
    GraphQLInputObjectType,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
    VariableNode,
    get_operation_ast,
)
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

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
                if context.operation_type is OperationType.SUBSCRIPTION:
                    raise error  # a subscription does not read a result set here; it answers what is raised
                context.result = ExecutionResult(data=None, errors=[error])
        yield


@dataclass(frozen=True, slots=True)
class _Use:
    """A variable used where a value of ``type`` (with ``bounds``) goes, at ``path``."""

    variable: str
    type: Any
    bounds: Bounds | None
    path: str


@dataclass(frozen=True, slots=True)
class _Plan:
    """What an operation's values must be checked for, worked out once per document: the first
    problem of its literal values (they never change), and where each variable goes."""

    problem: tuple[str, str] | None  # (message, field)
    uses: tuple[_Use, ...]
    defaults: Mapping[str, ValueNode]


PLANS_KEPT = 256
_plans: OrderedDict[tuple[int, str | None], tuple[DocumentNode, _Plan]] = OrderedDict()


def first_problem(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
                  variables: Mapping[str, Any]) -> GraphQLError | None:
    """The first value of the operation out of bounds, as the error to answer with."""
    if variables and not _all_clean(variables):
        for path, value in _raw_texts(variables, "$"):  # find where, and say what
            problem = text_problem(value)
            if problem is not None:
                return BadInput(f"`{path}` {problem}", field=path)
            if len(value) > MAX_TEXT:
                return BadInput(f"`{path}` is longer than {MAX_TEXT} characters", field=path)
    plan = _plan_of(schema, document, operation_name)
    if plan.problem is not None:
        return BadInput(plan.problem[0], field=plan.problem[1])
    try:
        for use in plan.uses:
            if use.variable in variables:
                _check_raw(use.type, variables[use.variable], use.bounds, use.path)
            elif use.variable in plan.defaults:
                _check_literal(use.type, plan.defaults[use.variable], use.bounds, use.path, [])
    except _OutOfBounds as out:
        return BadInput(out.message, field=out.path)
    return None


def _plan_of(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None) -> _Plan:
    key = (id(document), operation_name)
    kept = _plans.get(key)
    if kept is not None and kept[0] is document:
        _plans.move_to_end(key)
        return kept[1]
    plan = _make_plan(schema, document, operation_name)
    _plans[key] = (document, plan)
    if len(_plans) > PLANS_KEPT:
        _plans.popitem(last=False)
    return plan


def _make_plan(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None) -> _Plan:
    operation = get_operation_ast(document, operation_name)
    root = _root_type(schema, operation) if operation is not None else None
    if operation is None or root is None:
        return _Plan(problem=None, uses=(), defaults={})
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    defaults = {d.variable.name.value: d.default_value for d in operation.variable_definitions or ()
                if d.default_value is not None}
    walk = _Walk(schema, fragments)
    try:
        walk.selections(root, operation.selection_set, set())
    except _OutOfBounds as out:
        return _Plan(problem=(out.message, out.path), uses=(), defaults=defaults)
    return _Plan(problem=None, uses=tuple(walk.uses), defaults=defaults)


def _root_type(schema: GraphQLSchema, operation: OperationDefinitionNode) -> GraphQLObjectType | None:
    return {"query": schema.query_type, "mutation": schema.mutation_type,
            "subscription": schema.subscription_type}[operation.operation.value]


class _OutOfBounds(Exception):
    def __init__(self, message: str, path: str) -> None:
        self.message = message
        self.path = path


class _Walk:
    """Walks the operation's selections: checks literal arguments, notes where variables go."""

    def __init__(self, schema: GraphQLSchema, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.schema = schema
        self.fragments = fragments
        self.uses: list[_Use] = []

    def selections(self, parent: Any, selection_set: SelectionSetNode | None, spread: set[str]) -> None:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self.field(parent, selection, spread)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                self.selections(self.schema.get_type(condition.name.value) if condition else parent,
                                selection.selection_set, spread)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in spread:  # a fragment's arguments are the same each time
                    spread.add(name)
                    self.selections(self.schema.get_type(fragment.type_condition.name.value),
                                    fragment.selection_set, spread)

    def field(self, parent: Any, node: FieldNode, spread: set[str]) -> None:
        name = node.name.value
        fields = getattr(parent, "fields", None)
        if name.startswith("__") or not fields or name not in fields:
            return
        definition = fields[name]
        for argument in node.arguments or ():
            declared = definition.args.get(argument.name.value)
            if declared is not None:
                _check_literal(declared.type, argument.value, _bounds_of(declared), argument.name.value, self.uses)
        self.selections(_named(definition.type), node.selection_set, spread)


def _check_literal(type_: Any, node: ValueNode, bounds: Bounds | None, path: str, uses: list[_Use]) -> None:
    """Check a value written in the document; note the variables inside it."""
    if isinstance(node, VariableNode):
        uses.append(_Use(node.name.value, type_, bounds, path))
        return
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList):
        items = node.values if isinstance(node, ListValueNode) else (node,)
        for index, item in enumerate(items):
            _check_literal(type_.of_type, item, bounds, f"{path}[{index}]", uses)
        return
    if isinstance(type_, GraphQLInputObjectType):
        if isinstance(node, ObjectValueNode):
            for field_node in node.fields:
                field = type_.fields.get(field_node.name.value)
                if field is not None:
                    _check_literal(field.type, field_node.value, _bounds_of(field),
                                   f"{path}.{field_node.name.value}", uses)
        return
    if isinstance(node, StringValueNode):
        _check_value(type_, node.value, bounds, path)
    elif isinstance(node, (IntValueNode, FloatValueNode)):
        try:
            number = float(node.value)
        except (ValueError, OverflowError):
            return  # not a number graphql-core accepts either; it says so
        _check_value(type_, number, bounds, path)


def _check_raw(type_: Any, value: Any, bounds: Bounds | None, path: str) -> None:
    """Check a variable's value as the client sent it (input objects keyed by GraphQL names)."""
    if value is None:
        return
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList):
        for index, item in enumerate(value if isinstance(value, list) else (value,)):
            _check_raw(type_.of_type, item, bounds, f"{path}[{index}]")
        return
    if isinstance(type_, GraphQLInputObjectType):
        if isinstance(value, Mapping):
            fields = type_.fields
            for name, item in value.items():
                field = fields.get(name)
                if field is not None and item is not None:
                    _check_raw(field.type, item, _bounds_of(field), f"{path}.{name}")
        return
    _check_value(type_, value, bounds, path)


def _check_value(type_: Any, value: Any, bounds: Bounds | None, path: str) -> None:
    if isinstance(value, str):
        problem = text_problem(value)
        if problem is not None:
            raise _OutOfBounds(f"`{path}` {problem}", path)
        limit = MAX_ID if type_ is GraphQLID else MAX_TEXT
        if len(value) > limit and (bounds is None or bounds.max_length is None):
            raise _OutOfBounds(f"`{path}` is longer than {limit} characters", path)
    elif not isinstance(value, (int, float)) or isinstance(value, bool) or not _fits(type_, value):
        return  # not a value of its type: graphql-core says so
    if bounds is not None:
        problem = bounds.problem(value)
        if problem is not None:
            raise _OutOfBounds(f"`{path}` {problem}", path)


def _fits(type_: Any, number: float) -> bool:
    if isinstance(number, int):
        return type_ is not GraphQLInt or -(2**31) <= number < 2**31
    return math.isfinite(number) and (type_ is not GraphQLInt or (number.is_integer() and -(2**31) <= number < 2**31))


def _bounds_of(definition: Any) -> Bounds | None:
    declared = (definition.extensions or {}).get(DEFINITION)
    metadata = getattr(declared, "metadata", None) or {}
    return metadata.get(BOUNDS)


def _named(type_: Any) -> Any:
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    return type_


def _all_clean(value: Any) -> bool:
    """True when every string in ``value`` (keys too) is fit to store and at most MAX_TEXT long: the quick pass."""
    kind = type(value)
    if kind is str:
        return len(value) <= MAX_TEXT and "\x00" not in value and (value.isascii() or text_problem(value) is None)
    if kind is dict:
        return all(_all_clean(key) and _all_clean(item) for key, item in value.items())
    if kind is list:
        return all(_all_clean(item) for item in value)
    return True


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
