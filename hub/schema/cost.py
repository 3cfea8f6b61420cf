"""What a query may cost: an upper bound of the work its answer can take.

Depth, alias and token limits do not bound the work of lists inside lists:
``region { children { parent { children { ... } } } }`` stays shallow and
grows by forty at every ``children``. The cost of an operation is computed
from its document alone, before anything runs:

- a scalar or enum field costs 0 (it is read with its object), and so does
  a list of plain values read with its object (:data:`INLINE`);
- an object field costs 1 plus what is selected under it;
- a list (or connection) field costs ``LIST_COST`` plus, for each item it may
  hold, 1 plus what is selected under it. How many items: its page size
  argument (``first``, ``limit``, ``last``, capped where the resolver caps it),
  else its declared bound (:data:`BOUNDS`), else ``max_page_size``;
- a field with ``first`` that returns a connection passes its page size to
  the connection's ``edges``;
- a few fields cost more on their own (:data:`FIELD_COSTS`: statistics and
  rankings aggregate many complaints; ``totalCount`` counts them; a relation
  read through a DataLoader for every item of a long list).

Fragments and inline fragments are counted where they are spread (all the
branches of a union, an upper bound). Introspection (``__schema``,
``__type``) is counted the same way with the schema's own sizes as bounds,
separately: it may cost at most what the standard introspection query costs,
so tools work and ``fields { type { fields { ... } } }`` chains do not.

The model is built once with the schema; :meth:`CostModel.cost` reads a
parsed document with its variables (a variable page size counts at its value).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_introspection_query,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
    is_list_type,
    parse,
    value_from_ast_untyped,
)

from hub.resolvers.duplicates import MAX_FIRST as MAX_FLAGS
from hub.resolvers.selection import MAX_TIMELINE
from hub.schema.types.pages import DEFAULT_PAGE, MAX_PAGE

COST_CEILING = 10**12  # costs are reported up to this; anything past it is far past every budget
LIST_COST = 2  # a list or connection is read by a resolver of its own (a statement, or a loader's batch)

# Declared sizes of lists that take no page size. Counted from the reference
# data (tests/api/test_query_cost.py checks them against it) or, where the
# data grows, the most a caller should expect.
REGION_COUNT = 552  # provinces, regencies and cities (regions_id.csv)
PROVINCE_COUNT = 38
MAX_CHILDREN = 40  # the most regencies and cities of one province (Jawa Timur: 38)
MAX_AGENCIES_OF_REGION = 100
MAX_AGENCIES = 10_000  # all regions' (the demo data has 12 per regency or city)
TIMELINE_EVENTS = 50  # an unpaged timeline: a complaint's rarely passes 20 events; `last: N` counts N
MAX_SOURCES = 5  # systems holding a copy of one complaint
MAX_ATTACHMENTS = 50
MAX_DELIVERY_ATTEMPTS = 10  # the outbox's retry policy (hub.sync.outbox), plus a retry by hand
MAX_WEBHOOK_SUBSCRIPTIONS = 20  # of one scope; each lists its deliveries

# Fields that do more than read one object: their own cost, added to what is selected under them
# (bench/query_cost.py: a statistics or ranking question takes up to ~0.7 s on its own; a relation
# resolved through a DataLoader for each object of a long list, ~0.5 ms an object)
FIELD_COSTS: dict[str, int] = {
    "Query.stats": 3_000,
    "Query.ranking": 3_000,
    "ComplaintConnection.totalCount": 20,
    "Query.connectorsOverview": 20,
    "Query.connectors": 20,
    "Agency.region": 10,
    "Query.regions": 500,  # hundreds of rows read whole
    "Query.agencies": 1_000,
}

# Lists of plain values read with their object (a JSON column of its row): counted like scalars
INLINE: frozenset[str] = frozenset({"TimelineEvent.details", "ComplaintSource.details"})

Args = Mapping[str, Any]
Bound = Callable[[Args, Args, int], int]  # (field's arguments, parent field's arguments, max_page_size) -> items


def _fixed(n: int) -> Bound:
    return lambda args, parent, page: n


def _window(default: int, cap: int | None = None) -> Bound:
    """A connection's page: ``first`` or ``last`` items (``default`` when neither is given), capped as refused
    (at ``cap``, else at the page size the settings allow)."""
    def bound(args: Args, parent: Args, page: int) -> int:
        value = args.get("first") if args.get("first") is not None else args.get("last")
        return min(max(value, 0), cap or page) if isinstance(value, int) else default
    return bound


def _regions(args: Args, parent: Args, page: int) -> int:
    if args.get("parentCode") is not None:
        return MAX_CHILDREN
    return PROVINCE_COUNT if args.get("level") == "PROVINCE" else REGION_COUNT


def _agencies(args: Args, parent: Args, page: int) -> int:
    return MAX_AGENCIES_OF_REGION if args.get("regionCode") is not None else MAX_AGENCIES


def _timeline(args: Args, parent: Args, page: int) -> int:
    last = args.get("last")
    return min(max(last, 0), MAX_TIMELINE) if isinstance(last, int) else TIMELINE_EVENTS


def _stats_groups(max_months: int) -> Bound:
    sizes = {"REGION": REGION_COUNT, "PROVINCE": PROVINCE_COUNT, "CATEGORY": 50, "STATUS": 10, "CHANNEL": 6,
             "MONTH": max_months}

    def bound(args: Args, parent: Args, page: int) -> int:
        return sizes.get(str(parent.get("groupBy")), REGION_COUNT)
    return bound


def _entities(args: Args, parent: Args, page: int) -> int:
    representations = args.get("representations")
    return len(representations) if isinstance(representations, list) else page


def bounds(max_months: int) -> dict[str, Bound]:
    """Lists by ``Type.field``; a list not named here holds at most ``max_page_size`` items."""
    return {
        "Query.complaints": _window(20),  # passed on to ComplaintConnection.edges
        "Query.duplicateFlags": _window(20, MAX_FLAGS),
        "Query.regions": _regions,
        "Region.children": _fixed(MAX_CHILDREN),
        "Query.agencies": _agencies,
        "Query.categories": _fixed(50),
        "Query.connectors": _fixed(REGION_COUNT),
        "ConnectorsOverview.connectors": _fixed(REGION_COUNT),
        "Query.syncRuns": _window(DEFAULT_PAGE, MAX_PAGE),  # connections: passed on to their edges
        "Query.rejectedRecords": _window(DEFAULT_PAGE, MAX_PAGE),
        "Query.manualWork": _window(DEFAULT_PAGE, MAX_PAGE),
        "Query.outbox": _window(DEFAULT_PAGE, MAX_PAGE),
        "Query.accessLog": _window(DEFAULT_PAGE, MAX_PAGE),
        "Query.ranking": _fixed(MAX_CHILDREN),
        "Query._entities": _entities,
        "Stats.groups": _stats_groups(max_months),
        "Complaint.timeline": _timeline,
        "Complaint.sources": _fixed(MAX_SOURCES),
        "Complaint.attachments": _fixed(MAX_ATTACHMENTS),
        "Query.webhookSubscriptions": _fixed(MAX_WEBHOOK_SUBSCRIPTIONS),
        "WebhookSubscription.deliveries": _window(DEFAULT_PAGE, MAX_PAGE),
        "WebhookDelivery.attemptLog": _fixed(MAX_DELIVERY_ATTEMPTS),
    }


@dataclass(frozen=True)
class Cost:
    """An operation's cost, and apart from it the cost of its introspection."""

    total: int
    introspection: int


class CostModel:
    """Costs of one schema's operations; built once with the schema."""

    def __init__(self, schema: GraphQLSchema, *, max_page_size: int, max_months: int = 120) -> None:
        self.schema = schema
        self.max_page_size = max_page_size
        self.bounds = bounds(max_months)
        self._introspection_bounds = self._schema_sizes(schema)
        # what the standard introspection query costs, with every option and a deeper type reference
        # than tools send (GraphiQL and codegen: depth 9)
        standard = parse(get_introspection_query(
            descriptions=True, specified_by_url=True, directive_is_repeatable=True, schema_description=True,
            input_value_deprecation=True, one_of=True, type_depth=12))
        self.introspection_budget = self.cost(standard).introspection

    @staticmethod
    def _schema_sizes(schema: GraphQLSchema) -> dict[str, int]:
        types = list(schema.type_map.values())
        fields = [getattr(t, "fields", {}) for t in types]
        return {
            "__Schema.types": len(types),
            "__Schema.directives": len(schema.directives),
            "__Type.fields": max((len(f) for f in fields), default=0),
            "__Type.inputFields": max((len(f) for f in fields), default=0),
            "__Type.enumValues": max((len(getattr(t, "values", {})) for t in types), default=0),
            "__Type.interfaces": max((len(getattr(t, "interfaces", ())) for t in types), default=0),
            "__Type.possibleTypes": len(types),
            "__Field.args": max((len(field.args) for f in fields for field in f.values()
                                 if isinstance(field, GraphQLField)), default=0),
            "__Directive.args": max((len(d.args) for d in schema.directives), default=0),
            "__Directive.locations": 0,
        }

    def cost(self, document: DocumentNode, operation_name: str | None = None,
             variables: Mapping[str, Any] | None = None) -> Cost:
        """The cost of the operation named (or the only one) in ``document``."""
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        chosen = [op for op in operations if operation_name is None or (op.name and op.name.value == operation_name)]
        if not chosen:
            return Cost(0, 0)
        operation = chosen[0]
        root = self.schema.get_root_type(operation.operation)
        if root is None:
            return Cost(0, 0)
        walk = _Walk(self, fragments, dict(variables or {}))
        total = walk.selection(root, operation.selection_set, {}, None, frozenset())
        return Cost(total=min(total, COST_CEILING), introspection=min(walk.introspection, COST_CEILING))


class _Walk:
    def __init__(self, model: CostModel, fragments: dict[str, FragmentDefinitionNode],
                 variables: dict[str, Any]) -> None:
        self.model = model
        self.fragments = fragments
        self.variables = variables
        self.introspection = 0
        self.spread_costs: dict[tuple[str, str, str, int | None], int] = {}

    def selection(self, parent: GraphQLNamedType, selection_set: SelectionSetNode | None, parent_args: Args,
                  page: int | None, seen: frozenset[str]) -> int:
        """The cost of a selection set on ``parent``; ``page`` is a connection's page size for its lists."""
        if selection_set is None:
            return 0
        total = 0
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                total += self.field(parent, node, parent_args, page, seen)
            elif isinstance(node, InlineFragmentNode):
                on = self._type(node.type_condition.name.value) if node.type_condition else parent
                total += self.selection(on or parent, node.selection_set, parent_args, page, seen)
            elif isinstance(node, FragmentSpreadNode):
                name = node.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:  # validation refuses both; count nothing twice
                    continue
                # a fragment spread many times is walked once per place (spreads of spreads would
                # otherwise take exponential time to count)
                key = (name, parent.name, repr(sorted(parent_args.items())), page)
                if key not in self.spread_costs:
                    on = self._type(fragment.type_condition.name.value) or parent
                    self.spread_costs[key] = self.selection(on, fragment.selection_set, parent_args, page,
                                                            seen | {name})
                total += self.spread_costs[key]
        return total

    def _type(self, name: str) -> GraphQLNamedType | None:
        return self.model.schema.get_type(name)

    def _arguments(self, node: FieldNode) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for argument in node.arguments or ():
            try:
                values[argument.name.value] = value_from_ast_untyped(argument.value, self.variables)
            except Exception:  # a malformed value: validation reports it
                continue
        return values

    def field(self, parent: GraphQLNamedType, node: FieldNode, parent_args: Args, page: int | None,
              seen: frozenset[str]) -> int:
        name = node.name.value
        if name == "__typename":
            return 0
        if name in ("__schema", "__type"):
            self.introspection += self._introspection(node, seen)
            return 0
        fields = getattr(parent, "fields", None) or {}
        definition = fields.get(name)
        if definition is None:  # validation refuses an unknown field
            return 0
        field_type = get_nullable_type(definition.type)
        named = get_named_type(field_type)
        key = f"{parent.name}.{name}"
        if is_leaf_type(named) or key in INLINE:
            return 0
        args = {arg_name: arg.default_value for arg_name, arg in definition.args.items()
                if arg.default_value is not None and not _undefined(arg.default_value)}
        args.update(self._arguments(node))
        own = FIELD_COSTS.get(key, 0)
        if is_list_type(field_type):
            bound = self.model.bounds.get(key)
            if page is not None and bound is None:
                items = page
            elif bound is not None:
                items = bound(args, parent_args, self.model.max_page_size)
            else:
                items = self.model.max_page_size
            return own + LIST_COST + items * (1 + self.selection(named, node.selection_set, args, None, seen))
        bound = self.model.bounds.get(key)
        passed = bound(args, parent_args, self.model.max_page_size) if bound is not None else None
        return own + 1 + self.selection(named, node.selection_set, args, passed, seen)

    def _introspection(self, node: FieldNode, seen: frozenset[str]) -> int:
        sizes = self.model._introspection_bounds

        spread_costs: dict[tuple[str, str], int] = {}

        def walk(type_name: str, selection_set: SelectionSetNode | None, fragments_seen: frozenset[str]) -> int:
            if selection_set is None:
                return 0
            total = 0
            for sel in selection_set.selections:
                if isinstance(sel, FieldNode):
                    key = f"{type_name}.{sel.name.value}"
                    child = _INTROSPECTION_TYPES.get(key)
                    if child is None:
                        continue
                    if key in sizes:
                        total += LIST_COST + sizes[key] * (1 + walk(child, sel.selection_set, fragments_seen))
                    else:
                        total += 1 + walk(child, sel.selection_set, fragments_seen)
                elif isinstance(sel, InlineFragmentNode):
                    total += walk(type_name, sel.selection_set, fragments_seen)
                elif isinstance(sel, FragmentSpreadNode):
                    fragment = self.fragments.get(sel.name.value)
                    if fragment is not None and sel.name.value not in fragments_seen:
                        spread = (type_name, sel.name.value)
                        if spread not in spread_costs:
                            spread_costs[spread] = walk(type_name, fragment.selection_set,
                                                        fragments_seen | {sel.name.value})
                        total += spread_costs[spread]
            return total

        root = "__Schema" if node.name.value == "__schema" else "__Type"
        return 1 + walk(root, node.selection_set, seen)


# Introspection fields that are objects or lists of objects -> the type they give
_INTROSPECTION_TYPES: dict[str, str] = {
    "__Schema.types": "__Type", "__Schema.queryType": "__Type", "__Schema.mutationType": "__Type",
    "__Schema.subscriptionType": "__Type", "__Schema.directives": "__Directive",
    "__Type.fields": "__Field", "__Type.interfaces": "__Type", "__Type.possibleTypes": "__Type",
    "__Type.enumValues": "__EnumValue", "__Type.inputFields": "__InputValue", "__Type.ofType": "__Type",
    "__Field.args": "__InputValue", "__Field.type": "__Type", "__InputValue.type": "__Type",
    "__Directive.args": "__InputValue",
}


def _undefined(value: object) -> bool:
    from graphql.pyutils import Undefined

    return value is Undefined
