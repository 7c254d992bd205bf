"""Resolved property types of generated classes, kept across plans and shared within one.

The SDK resolves a class's property types on first use (`pulumi._types._raw_return_hints`); with the provider
SDKs loaded by `lazy_annotations` (postponed annotations) that is where their annotations get evaluated.
"""
from __future__ import annotations

import functools
import os
import re
import sys
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .lazy_annotations import CACHE
from .lazy_classes import resolve_names

_NAMES = re.compile(r"(?<![\w.])[A-Za-z_]\w*")  # the global names an annotation string reads (not attributes)
_UNSET = object()


HINTS_STORE = CACHE.parent / f"plan-type-hints-{sys.implementation.cache_tag}.pickle"
# The pulumi SDK whose pure type helpers `_memoised_by_identity` wraps were checked against (pulumi/_types.py).
MEMOISED_TYPES_VERSION = "3.272.0"
_PURE_TYPE_HELPERS = ("unwrap_type", "unwrap_optional_type", "_is_optional_type", "_is_union_type")


def _installed_stamp(module_name: str) -> tuple[int, int] | None:
    """(size, mtime_ns) of an installed module's file; None for code that is not installed (the project's own)."""
    path = getattr(sys.modules.get(module_name), "__file__", None) or ""
    if "site-packages" not in path:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _defined_in_its_module(cls: type) -> bool:
    """The class is what its module's attribute of that name holds (not, say, a class of a program run as
    `__main__` while another `__main__` module is loaded)."""
    value: Any = sys.modules.get(cls.__module__)
    for part in cls.__qualname__.split("."):
        value = getattr(value, part, None)
    return value is cls


def _load_hints() -> tuple[Any, dict[str, tuple]]:
    import pickle

    header = (sys.version, _installed_stamp("pulumi._types"), _installed_stamp("pulumi.output"))
    try:
        stored_header, entries = pickle.loads(HINTS_STORE.read_bytes())
        if stored_header == header:
            return header, entries
    except Exception:  # noqa: BLE001 a missing, partial or foreign file: start afresh
        pass
    return header, {}


def _save_hints(header: Any, entries: dict[str, tuple]) -> None:
    import pickle

    try:
        HINTS_STORE.parent.mkdir(parents=True, exist_ok=True)
        partial = HINTS_STORE.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(pickle.dumps((header, entries), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, HINTS_STORE)
    except OSError:
        pass  # a read-only checkout still plans, evaluating again next time


def _memoised_by_identity(function: Any) -> Any:
    """`function(typ)` computed once per type object (kept alive by the memo, so an id is never reused). The
    SDK's type helpers are pure functions of their argument's structure; they run for every property serialised
    or resolved (10,562 `unwrap_type` calls on 842 distinct types for the dev stack, 19 ms). Identity, not
    equality, is the key: `Union[A, B] == Union[B, A]`, and `unwrap_type` reads the order. A raised error is
    not kept (the next call raises it again)."""
    memo: dict[int, tuple[Any, Any]] = {}

    def memoised(typ: Any) -> Any:
        hit = memo.get(id(typ))
        if hit is None or hit[0] is not typ:
            hit = memo[id(typ)] = (typ, function(typ))
        return hit[1]

    memoised.__wrapped__ = function
    return memoised


@contextmanager
def shared_type_hints() -> Iterator[None]:
    """Resolve each generated class's property types once per installed SDK, and each distinct annotation once.

    Postponed annotations move the evaluation of a generated class's property types from import to its first
    use (`pulumi._types._raw_return_hints`: `typing.get_type_hints` on every getter, 2,363 for the dev stack's
    344 classes, 0.25 s). For a class of an installed package the resolved types are kept, pickled (by
    reference: `Optional[Sequence[outputs.BucketGrant]]` is rebuilt from the same classes), under `.build/`,
    keyed by its module file's size and mtime and the pulumi SDK's: the next plan reads them in ~15 ms. A class
    not in the store is resolved as the SDK does, except that a result is reused for the same annotation string
    with the same referenced objects (596 evaluations instead of 2,363). The SDK function is replaced only
    while `run_program` runs; the recording is the same (tests/tools/test_plan_speedups.py)."""
    import pickle

    from pulumi import Output, _types

    original = _types._raw_return_hints
    localns = {"Output": Output, "T": type(None)}  # what the SDK passes
    shared: dict[tuple, Any] = {}
    header, stored = _load_hints()
    learned: list[str] = []

    def evaluate(cls: type, globalns: dict[str, Any]) -> dict[str, Any]:
        hints: dict[str, Any] = {}
        modules = [base.__module__ for base in cls.__mro__]
        for _, pulumi_name, prop in _types._py_properties(cls):
            annotations = getattr(prop.fget, "__annotations__", None) or {}
            for text in annotations.values():  # classes of type modules not built yet (lazy_classes)
                if isinstance(text, str):
                    resolve_names(globalns, _NAMES.findall(text), modules)
            annotation = annotations.get("return")
            key, hint = None, _UNSET
            if isinstance(annotation, str) and len(annotations) == 1:
                # The referenced objects themselves are in the key (kept alive, so never confused by id reuse).
                key = (annotation, *(localns.get(n, globalns.get(n, _UNSET)) for n in _NAMES.findall(annotation)))
                try:
                    hint = shared.get(key, _UNSET)
                except TypeError:  # an unhashable global: evaluated as the SDK does
                    key = None
            if hint is _UNSET:
                hint = typing.get_type_hints(prop.fget, globalns=globalns, localns=localns).get("return")
                if key is not None:
                    shared[key] = hint
            if hint is not None:
                hints[pulumi_name] = hint
        return hints

    @functools.cache
    def raw_return_hints(cls: type) -> dict[str, Any]:
        stamp = _installed_stamp(cls.__module__) if _defined_in_its_module(cls) else None
        name = f"{cls.__module__}:{cls.__qualname__}"
        if stamp is not None and name in stored and stored[name][0] == stamp:
            try:
                return pickle.loads(stored[name][1])
            except Exception:  # noqa: BLE001 a class renamed since: resolve it again
                pass
        globalns = _types._globals_for_cls(cls)
        hints = original(cls) if globalns is None else evaluate(cls, globalns)
        if stamp is not None:
            try:
                stored[name] = (stamp, pickle.dumps(hints, protocol=pickle.HIGHEST_PROTOCOL))
                learned.append(name)
            except Exception:  # noqa: BLE001 a type that does not pickle: resolved every time
                pass
        return hints

    from pulumi._version import _VERSION

    helpers = {name: getattr(_types, name) for name in _PURE_TYPE_HELPERS}
    _types._raw_return_hints = raw_return_hints
    if _VERSION == MEMOISED_TYPES_VERSION:
        for name, function in helpers.items():
            setattr(_types, name, _memoised_by_identity(function))
    try:
        yield
    finally:
        _types._raw_return_hints = original
        for name, function in helpers.items():
            setattr(_types, name, function)
        if learned:
            _save_hints(header, stored)
