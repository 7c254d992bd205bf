"""Load provider SDK modules (`pulumi_aws`, `pulumi_random`, ...) with postponed annotations (PEP 563).

Importing a pulumi-aws service module mostly evaluates type annotations: every `__init__`, getter and setter of
thousands of generated classes carries `pulumi.Input[Optional[Sequence[...]]]` hints that nothing reads at run
time except type checkers and, lazily, the SDK's own `get_type_hints` (which resolves string annotations the
same way). Compiling those modules as if they began with `from __future__ import annotations`, and without the
field annotations of their `*ArgsDict` TypedDicts (typing turns each into a compiled ForwardRef at import; they
describe dict inputs for type checkers, and calling a TypedDict builds a plain dict either way), makes their
import about 3x faster. The code objects are cached under `.build/plan-pycache/` (keyed by the source's size
and mtime), like `__pycache__`, because the installed `.pyc` files were compiled from the unchanged source.

A service package (`pulumi_aws.s3`) star-imports every resource and function module it has (68 for s3), where
a program uses a few: its `__init__` is loaded with those imports deferred to the first use of a name they
export (PEP 562 `__getattr__`), which then binds all that module's names as the star import would have; a name
of its `_enums` or `_inputs` is fetched alone on first use, because those modules build each class on first use
(`lazy_classes`, which also turns a resource module's star import of them into imports by name). A module whose
names another module also exports stays eager (the order of star imports decides those). A provider's top-level
package is loaded the same way, and the service packages it binds with `_utilities.lazy_import` are bound on
first use of their name. `from pkg import *`, `dir()` and direct submodule imports see the same names as an eager
package.

Set PULUMI_PLAN_EAGER_ANNOTATIONS=1 to load the SDKs exactly as installed.
"""
from __future__ import annotations

import __future__
import ast
import importlib.abc
import importlib.machinery
import hashlib
import marshal
import os
import re
import struct
import sys
import types
from pathlib import Path
from typing import Any

from .lazy_classes import TYPE_MODULES, defer_classes, explicit_star_imports, is_type_module

REWRITERS = ("lazy_annotations.py", "lazy_classes.py")


def rewriter_digest() -> str:
    """The rewrite's own source: cached code is its output, so a change to it must not reuse the old cache."""
    digest = hashlib.sha256()
    for name in REWRITERS:
        digest.update((Path(__file__).resolve().parent / name).read_bytes())
    return digest.hexdigest()[:16]


CACHE = Path(__file__).resolve().parents[2] / ".build" / f"plan-pycache-{rewriter_digest()}"
_FLAGS = __future__.annotations.compiler_flag


def _is_provider_sdk(fullname: str) -> bool:
    top = fullname.split(".", 1)[0]
    return top.startswith("pulumi_") and top not in {"pulumi_policy"}


class _WithoutTypedDictFields(ast.NodeTransformer):
    def visit_ClassDef(self, node: ast.ClassDef) -> ast.ClassDef:  # noqa: N802 (ast's name)
        if any(isinstance(base, ast.Name) and base.id == "TypedDict" for base in node.bases):
            node.body = [statement for statement in node.body if not isinstance(statement, ast.AnnAssign)] or \
                [ast.Pass()]
            ast.fix_missing_locations(node)
        return node


_ALL = re.compile(r"^__all__ = (\[[^\]]*\])", re.MULTILINE)


def _exported(module_file: Path) -> tuple[str, ...] | None:
    """The literal `__all__` of a generated module, or None (then it is imported eagerly)."""
    try:
        match = _ALL.search(module_file.read_text())
        names = ast.literal_eval(match.group(1)) if match else None
    except (OSError, ValueError, SyntaxError):
        return None
    return tuple(names) if isinstance(names, list) and all(isinstance(n, str) for n in names) else None


def _deferred_lazy_imports(tree: ast.Module, taken: set[str]) -> dict[str, str]:
    """A provider's top-level `__init__` binds every service package with `_utilities.lazy_import(...)` (289 for
    aws-native: a module spec found and a lazy module made for each): those assignments are taken out, and
    returned ({name: module}) to be made on first use of the name instead. Any other shape, or a name in `taken`
    (bound by a star import too, where the order decides): nothing changes."""
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "typing.TYPE_CHECKING" and node.orelse:
            lazy = {}
            for statement in node.orelse:
                call = statement.value if isinstance(statement, ast.Assign) else None
                if not (isinstance(call, ast.Call) and ast.unparse(call.func) == "_utilities.lazy_import"
                        and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name)
                        and len(call.args) == 1 and isinstance(call.args[0], ast.Constant)
                        and isinstance(call.args[0].value, str) and not call.keywords):
                    return {}
                lazy[statement.targets[0].id] = call.args[0].value
            if lazy.keys() & taken:
                return {}
            node.orelse = [ast.copy_location(ast.Pass(), node.orelse[0])]
            return lazy
    return {}


def _deferred_star_imports(tree: ast.Module, directory: Path, fullname: str) -> ast.Module:
    """Remove `from .x import *` of resource/function modules from a service package's `__init__`; register them
    with `defer_submodules` instead (see the module docstring for what stays eager). In a provider's top-level
    `__init__` the service packages it binds lazily are bound on first use too."""
    stars = [(i, node.module) for i, node in enumerate(tree.body) if isinstance(node, ast.ImportFrom)
             and node.level == 1 and node.module and len(node.names) == 1 and node.names[0].name == "*"]
    exported = {module: _exported(directory / f"{module}.py") for _, module in stars}
    owners: dict[str, list[str]] = {}
    for module, names in exported.items():
        for name in names or ():
            owners.setdefault(name, []).append(module)
    deferred, forwarded = {}, {}
    for _, module in stars:
        names = exported[module]
        if names is None or any(len(owners[n]) > 1 for n in names) or (directory / module).is_dir():
            continue
        if module in TYPE_MODULES:
            forwarded.update(dict.fromkeys(names, module))
        else:
            deferred[module] = names
    lazy = _deferred_lazy_imports(tree, set(owners)) if "." not in fullname else {}
    if not deferred and not forwarded and not lazy:
        return tree
    tree.body = [node for i, node in enumerate(tree.body)
                 if not any(i == index and (module in deferred or module in forwarded.values())
                            for index, module in stars)]
    call = ast.parse(f"__import__('tools.harness.lazy_annotations', fromlist=['defer_submodules'])"
                     f".defer_submodules(__name__, {deferred!r}, {forwarded!r}, {lazy!r})").body
    tree.body.extend(call)
    ast.fix_missing_locations(tree)
    return tree


class _DeferredPackage(types.ModuleType):
    """A service package whose submodules load on first use. The import system sets a submodule as an attribute
    of its package once it is loaded (whoever imported it); that is when its exported names are bound, so they
    win over the submodule object itself exactly as the eager star import's later binding did."""

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        deferred = self.__dict__.get("_plan_deferred", {})
        if isinstance(value, types.ModuleType) and name in deferred \
                and value.__name__ == f"{self.__name__}.{name}":
            for exported in deferred.pop(name):
                super().__setattr__(exported, getattr(value, exported))

    def _load(self, module_name: str) -> types.ModuleType:
        module = importlib.import_module(f"{self.__name__}.{module_name}")
        deferred = self.__dict__["_plan_deferred"]
        if module_name in deferred:  # loaded before the package was made lazy: the import system did not set it
            for exported in deferred.pop(module_name):
                super().__setattr__(exported, getattr(module, exported))
        return module

    def __getattr__(self, name: str) -> Any:
        deferred = self.__dict__.get("_plan_deferred", {})
        forwarded = self.__dict__.get("_plan_forward", {})
        lazy = self.__dict__.get("_plan_lazy", {})
        if name in lazy:  # a service package, bound as the top-level `__init__` would have bound it
            value = self.__dict__["_utilities"].lazy_import(lazy.pop(name))
            super().__setattr__(name, value)
            return value
        if name == "__all__":  # `from package import *`: every public name the eager package would have had
            for module in list(deferred):
                self._load(module)
            for forward in [*forwarded, *lazy]:
                getattr(self, forward)
            return sorted(n for n in self.__dict__ if not n.startswith("_"))
        if name in forwarded:  # a class of `_inputs`/`_enums`: that one is built, and bound as the star import did
            value = getattr(importlib.import_module(f"{self.__name__}.{forwarded[name]}"), name)
            forwarded.pop(name, None)  # only once fetched: a failed import is tried again on the next read
            super().__setattr__(name, value)
            return value
        owner = self.__dict__.get("_plan_owner", {}).get(name)
        if owner is not None and owner in deferred:
            self._load(owner)
            return self.__dict__[name]
        if name in deferred:
            return self._load(name)
        raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")

    def __dir__(self) -> list[str]:
        deferred = self.__dict__.get("_plan_deferred", {})
        return sorted({*self.__dict__, *deferred, *(n for names in deferred.values() for n in names),
                       *self.__dict__.get("_plan_forward", {}), *self.__dict__.get("_plan_lazy", {})})


def defer_submodules(package_name: str, deferred: dict[str, tuple[str, ...]],
                     forwarded: dict[str, str] | None = None, lazy: dict[str, str] | None = None) -> None:
    """Called at the end of a rewritten package `__init__`: make the package load `deferred` on first use, fetch
    each `forwarded` name from its type module and bind each `lazy` service package on first use."""
    package = sys.modules[package_name]
    package.__dict__["_plan_deferred"] = dict(deferred)
    package.__dict__["_plan_forward"] = dict(forwarded or {})
    package.__dict__["_plan_lazy"] = dict(lazy or {})
    package.__dict__["_plan_owner"] = {name: module for module, names in deferred.items() for name in names}
    package.__class__ = _DeferredPackage


class _PostponedLoader(importlib.machinery.SourceFileLoader):
    def get_code(self, fullname: str):  # noqa: ANN201 (importlib signature)
        path = self.get_filename(fullname)
        directory = Path(path).parent
        # The rewrite reads the `__all__` of the sibling type modules too: their stamps are part of the key.
        stamps = [os.stat(path), *(os.stat(directory / f"{m}.py") for m in sorted(TYPE_MODULES)
                                   if (directory / f"{m}.py").is_file())]
        header = struct.pack("<qq", int(stamps[0].st_mtime_ns), stamps[0].st_size) + struct.pack(
            "<q", hash(tuple((int(s.st_mtime_ns), s.st_size) for s in stamps[1:])) & 0x7FFFFFFFFFFFFFFF)
        cached = CACHE / f"{fullname}.{sys.implementation.cache_tag}.pyc"
        try:
            data = cached.read_bytes()
            if data[:24] == header:
                return marshal.loads(data[24:])
        except OSError:
            pass
        tree = _WithoutTypedDictFields().visit(ast.parse(self.get_data(path), path))
        if os.path.basename(path) == "__init__.py":
            if fullname.count(".") <= 1:
                tree = _deferred_star_imports(tree, directory, fullname)
        else:
            exported = {m: _exported(directory / f"{m}.py") for m in TYPE_MODULES}
            tree = defer_classes(tree, exported, path, _FLAGS) if is_type_module(fullname) else \
                explicit_star_imports(tree, exported)
        code = compile(tree, path, "exec", flags=_FLAGS, dont_inherit=True)
        try:
            CACHE.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(header + marshal.dumps(code))
            os.replace(partial, cached)
        except OSError:
            pass  # a read-only checkout still plans, only slower
        return code


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):  # noqa: ANN001, ANN201
        if not _is_provider_sdk(fullname):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return spec
        spec.loader = _PostponedLoader(spec.loader.name, spec.loader.path)
        return spec


def install() -> bool:
    """Install the finder (once); False when disabled or when a provider SDK is already imported."""
    if os.environ.get("PULUMI_PLAN_EAGER_ANNOTATIONS") == "1":
        return False
    if any(isinstance(finder, _Finder) for finder in sys.meta_path):
        return True
    sys.meta_path.insert(0, _Finder())
    return True

