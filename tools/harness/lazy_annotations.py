"""Load provider SDK modules (`pulumi_aws`, `pulumi_random`, ...) with postponed annotations (PEP 563).

Importing a pulumi-aws service module mostly evaluates type annotations: every `__init__`, getter and setter of
thousands of generated classes carries `pulumi.Input[Optional[Sequence[...]]]` hints that nothing reads at run
time except type checkers and, lazily, the SDK's own `get_type_hints` (which resolves string annotations the
same way). Compiling those modules as if they began with `from __future__ import annotations`, and without the
field annotations of their `*ArgsDict` TypedDicts (typing turns each into a compiled ForwardRef at import; they
describe dict inputs for type checkers, and calling a TypedDict builds a plain dict either way), makes their
import about 3x faster. The code objects are cached under `.build/plan-pycache/` (keyed by the source's size
and mtime), like `__pycache__`, because the installed `.pyc` files were compiled from the unchanged source.
Set PULUMI_PLAN_EAGER_ANNOTATIONS=1 to load the SDKs exactly as installed.
"""
from __future__ import annotations

import __future__
import ast
import importlib.abc
import importlib.machinery
import marshal
import os
import struct
import sys
from pathlib import Path

CACHE = Path(__file__).resolve().parents[2] / ".build" / "plan-pycache-v2"
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


class _PostponedLoader(importlib.machinery.SourceFileLoader):
    def get_code(self, fullname: str):  # noqa: ANN201 (importlib signature)
        path = self.get_filename(fullname)
        stat = os.stat(path)
        header = struct.pack("<qq", int(stat.st_mtime_ns), stat.st_size)
        cached = CACHE / f"{fullname}.{sys.implementation.cache_tag}.pyc"
        try:
            data = cached.read_bytes()
            if data[:16] == header:
                return marshal.loads(data[16:])
        except OSError:
            pass
        tree = _WithoutTypedDictFields().visit(ast.parse(self.get_data(path), path))
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
