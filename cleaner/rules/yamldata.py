"""A pack file's composed YAML as Python data: PyYAML's safe constructor's answer, built faster.

PyYAML's safe constructor spends about 40 us per rule of a pack (a generator per mapping,
tag lookups, merge-key checks for every node): 0.19 of the 1.0 CPU s that building a Cleaner
with 5,000 generated rules takes. Packs are strings, lists and mappings, with a few numbers
and booleans. So :func:`construct_data` builds those three itself (0.06 s for the same pack)
and asks the constructor for every other scalar (numbers, booleans, null, timestamps);
anything else (merge keys, a mapping or list used twice through an alias, explicit
collection tags such as ``!!set``, an unknown tag, any error) is handed to the constructor
for the whole document, which answers (or fails) as it always did.
"""

from __future__ import annotations

from typing import Any

import yaml

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
# Mapping keys built here (the constructor's other key tags: merge "<<", value "=", timestamps...).
_KEY_TAGS = frozenset({_STR} | {f"tag:yaml.org,2002:{t}" for t in ("int", "bool", "null", "float")})


class _Unusual(Exception):
    """A node the fast path leaves to PyYAML's constructor (for the whole document)."""


def construct_data(loader: Any, node: yaml.Node) -> Any:
    """What ``loader.construct_document(node)`` gives (``loader``: a PyYAML safe loader)."""
    try:
        return _build(loader, node, set())
    except (_Unusual, yaml.YAMLError, RecursionError, TypeError, ValueError):
        # the constructor starts afresh (a failed scalar leaves itself marked as under way)
        loader.constructed_objects, loader.recursive_objects = {}, {}
        loader.state_generators, loader.deep_construct = [], False
        return loader.construct_document(node)


def _build(loader: Any, node: yaml.Node, seen: set[int]) -> Any:
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        if tag == _STR:
            return node.value
        return loader.construct_object(node, deep=True)  # int, float, bool, null, timestamp...
    if id(node) in seen:  # an alias of a collection: shared (maybe recursive) objects
        raise _Unusual
    seen.add(id(node))
    if isinstance(node, yaml.SequenceNode) and tag == _SEQ:
        return [_build(loader, item, seen) for item in node.value]
    if isinstance(node, yaml.MappingNode) and tag == _MAP:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _KEY_TAGS:
                raise _Unusual  # merge keys (<<), "=" value keys, collections as keys
            out[_build(loader, key_node, seen)] = _build(loader, value_node, seen)
        return out
    raise _Unusual
