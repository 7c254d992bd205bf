"""Classes of a provider SDK's type modules (`_inputs`, `outputs`, `_enums`) built on first use.

A pulumi-aws service's `_inputs` and `outputs` modules define every nested argument and output type of the
service (3,083 classes for wafv2 alone; 8,021 built for the dev stack), where a program uses a few dozen. Under
`lazy_annotations` each top-level class statement of such a module is compiled on its own and kept as marshalled
bytes in the module's code (so loading the module does not even build the code objects of classes never used);
the module's PEP 562 `__getattr__` runs that code in the module's namespace when the name is first read
(attribute access, `from module import Name`, unpickling, `from module import *` which reads every name of
`__all__`). A class is the same object it would have been: same module, qualified name, line numbers and
decorators; the other top-level classes a class reads outside annotations (bases, decorators, defaults, method
bodies) are built first, so nothing is missing when it runs. Annotations are postponed strings
(`lazy_annotations`); the names they read are filled in by `resolve_names` where the harness evaluates them
(`type_hints.shared_type_hints`, the only place a plan evaluates a generated class's annotations).

`from ._enums import *` inside a type module becomes a forward: the name is fetched from `_enums` when first read.
Other modules (resources, functions) import by name only what their code and annotations mention
(`explicit_star_imports`), and a service package forwards each name to its type module (`lazy_annotations`).
"""
from __future__ import annotations

import ast
import importlib
import marshal
import re
import sys
from typing import Any

TYPE_MODULES = frozenset({"_inputs", "outputs", "_enums"})
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


def is_type_module(fullname: str) -> bool:
    return fullname.rpartition(".")[2] in TYPE_MODULES


def _annotations(tree: ast.AST) -> list[ast.expr]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.annotation is not None:
            found.append(node.annotation)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
            found.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            found.append(node.annotation)
    return found


def _runtime_names(tree: ast.AST) -> set[str]:
    """Names a statement reads when it runs or when its functions run: every `Name` outside annotations."""
    skip = {id(node) for annotation in _annotations(tree) for node in ast.walk(annotation)}
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and id(node) not in skip}


def mentioned_names(tree: ast.AST) -> set[str]:
    """Every name a module's code reads, and every identifier its annotations (strings included) mention."""
    names = _runtime_names(tree)
    for annotation in _annotations(tree):
        names.update(_IDENTIFIER.findall(ast.unparse(annotation)))
    return names


def _star_imports(tree: ast.Module) -> dict[int, str]:
    return {i: node.module for i, node in enumerate(tree.body) if isinstance(node, ast.ImportFrom)
            and node.level == 1 and node.module in TYPE_MODULES and len(node.names) == 1
            and node.names[0].name == "*"}


def explicit_star_imports(tree: ast.Module, exported: dict[str, tuple[str, ...] | None]) -> ast.Module:
    """`from ._inputs import *` (or `_enums`) in a resource or function module becomes `from ._inputs import A, B`
    with the names of that module the importing module mentions: the only ones it can ever read (its annotations
    are evaluated in its own namespace). A type module whose `__all__` is not a literal stays a star import."""
    stars = {i: module for i, module in _star_imports(tree).items() if exported.get(module) is not None}
    if not stars:
        return tree
    mentioned = mentioned_names(tree)
    body = []
    for i, node in enumerate(tree.body):
        if i in stars:
            names = [name for name in exported[stars[i]] if name in mentioned]
            if not names:
                continue
            node = ast.copy_location(ast.ImportFrom(module=stars[i], names=[ast.alias(name=n) for n in names],
                                                    level=1), node)
        body.append(node)
    tree.body = body
    ast.fix_missing_locations(tree)
    return tree


def defer_classes(tree: ast.Module, exported: dict[str, tuple[str, ...] | None], filename: str = "<type module>",
                  flags: int = 0) -> ast.Module:
    """Rewrite a type module: each top-level class statement becomes marshalled code (compiled with `flags`, as
    the module would be), `from ._enums import *` a forward; registered with `defer` at the end of the module."""
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    forwards = {module: exported.get(module) for module in _star_imports(tree).values()}
    forwards = {module: names for module, names in forwards.items() if names is not None}
    forwarded = {name: module for module, names in forwards.items() for name in names}
    # A statement that stays eager and reads a class (or a forwarded name) at import keeps that class eager.
    eager_reads = set()
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) and not (isinstance(node, ast.ImportFrom) and node.module in forwards
                                                        and node.level == 1):
            eager_reads |= _runtime_names(node)
    if eager_reads & forwarded.keys():
        forwards, forwarded = {}, {}
    lazy = {name for name in classes if name not in eager_reads and name not in forwarded}
    if not lazy:
        return tree
    body, entries = [], {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module in forwards \
                and len(node.names) == 1 and node.names[0].name == "*":
            continue
        if isinstance(node, ast.ClassDef) and node.name in lazy:
            needs = tuple(sorted((_runtime_names(node) - {node.name}) & (lazy | forwarded.keys())))
            code = compile(ast.Module(body=[node], type_ignores=[]), filename, "exec", flags=flags, dont_inherit=True)
            entries[node.name] = (marshal.dumps(code), needs)
            continue
        body.append(node)
    register = ast.parse("__import__('tools.harness.lazy_classes', fromlist=['defer']).defer(__name__, TABLE, "
                         f"{ {name: module for name, module in forwarded.items()}!r})").body
    # One constant (a tuple of names, bytes and tuples), which unmarshalling rebuilds without evaluating anything.
    register[0].value.args[1] = ast.Constant(tuple((name, *entry) for name, entry in entries.items()))
    tree.body = body + register
    ast.fix_missing_locations(tree)
    return tree


def defer(module_name: str, classes: tuple[tuple[str, bytes, tuple[str, ...]], ...],
          forwarded: dict[str, str]) -> None:
    """Called at the end of a rewritten type module: build each class (or fetch each forwarded name) when first
    read."""
    namespace = sys.modules[module_name].__dict__
    package = module_name.rpartition(".")[0]
    pending: dict[str, Any] = {name: (source, needs) for name, source, needs in classes}
    for name, module in forwarded.items():
        pending[name] = (module, ())

    def build(name: str) -> None:
        entry = pending.pop(name, None)
        if entry is None:  # built already, or being built (a cycle through method bodies only)
            return
        source, needs = entry
        try:
            for need in needs:
                build(need)
            if isinstance(source, str):  # a forward: the name of the type module that defines it
                namespace[name] = getattr(importlib.import_module(f"{package}.{source}"), name)
            else:
                exec(marshal.loads(source), namespace)  # noqa: S102 (the module's own class statement)
        except BaseException:
            pending[name] = entry  # built again on the next read, as a failed eager import is imported again
            raise

    def __getattr__(name: str) -> Any:  # noqa: N807 (PEP 562)
        if name in pending:
            build(name)
            return namespace[name]
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")

    def __dir__() -> list[str]:  # noqa: N807 (PEP 562)
        return sorted({*namespace, *pending})

    namespace.update(__getattr__=__getattr__, __dir__=__dir__, _plan_pending=pending)


def resolve_names(globalns: dict[str, Any], names: list[str], modules: list[str]) -> None:
    """Put into `globalns` (a copy of a class's module namespace) the not-yet-built names among `names` that
    one of `modules` (the class's and its bases' modules) defers, building them."""
    for name in names:
        if name in globalns:
            continue
        for module_name in modules:
            module = sys.modules.get(module_name)
            if name in (getattr(module, "__dict__", {}).get("_plan_pending") or ()):
                globalns[name] = getattr(module, name)
                break
