"""The model's prediction graph run node after node, without building a dask graph per message.

Rasa 3.6 runs every prediction (the NLU pipeline once per message, the policies once per predicted action)
through `DaskGraphRunner.run`: it recomputes the minimal schema, builds a dask task graph, orders it and runs it
with dask's synchronous scheduler. The graph is a dozen nodes in a fixed order; that machinery cost about a
quarter of Rasa's CPU per message (cProfile, docs/performance.md). `run_in_order` gives the same results:
the same nodes called with the same inputs (each a `(node name, output)` pair, or the bare name of a need nothing
provides, as dask passes it), in a dependency order computed once per set of targets, the same `GraphRunError`
for a `RuntimeError`. It replaces `DaskGraphRunner.run` for prediction graphs only (a runner with a model id);
training keeps dask. Installed by bot/rasa_compat.py on Rasa 3.6 only; tests/bot/test_graph_runner.py checks
it against the original on the real model.
"""
from __future__ import annotations

from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema


def dependency_order(schema: GraphSchema, targets: tuple[str, ...]) -> tuple[str, ...]:
    """The nodes the targets need, each after the nodes it needs (depth first, in the schema's order)."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen or name not in schema.nodes:
            return  # an input placeholder, or already placed
        seen.add(name)
        for needed in schema.nodes[name].needs.values():
            visit(needed)
        order.append(name)

    for target in targets:
        visit(target)
    return tuple(order)


def run_in_order(runner: Any, inputs: dict[str, Any] | None = None, targets: list[str] | None = None
                 ) -> dict[str, Any]:
    """`DaskGraphRunner.run` (Rasa 3.6) for a prediction graph, node after node."""
    schema: GraphSchema = runner._graph_schema
    run_targets = tuple(targets if targets else schema.target_names)
    orders = runner.__dict__.setdefault("_dependency_orders", {})
    order = orders.get(run_targets)
    if order is None:
        order = orders[run_targets] = dependency_order(schema, run_targets)
    results: dict[str, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and value in schema.nodes:  # Rasa's own check (DaskGraphRunner)
            raise GraphRunError(f"Input value '{value}' clashes with a node name. Make sure that none of the input "
                                f"names passed to the `run` method are the same as node names in the graph schema.")
        results[name] = (name, value)
    nodes = runner._instantiated_nodes
    try:
        for name in order:
            needs = schema.nodes[name].needs.values()
            results[name] = nodes[name](*(results.get(needed, needed) for needed in needs))
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error
    return dict(results[target] for target in run_targets)
