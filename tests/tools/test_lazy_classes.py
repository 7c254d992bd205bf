"""Classes of provider type modules built on first use (tools/harness/lazy_classes.py) are the classes the
installed module defines, and a plan with them reports exactly what a plan of the SDKs as installed does."""
from __future__ import annotations

import ast
import json
import math
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from google.protobuf import json_format, struct_pb2

from tools.harness import lazy_classes
from tools.harness.analyzer_environment import struct_to_json

REPO_ROOT = Path(__file__).resolve().parents[2]

TYPE_MODULE = textwrap.dedent('''
    import pulumi
    from typing import Optional
    from ._enums import *

    __all__ = ['BucketRuleArgs', 'BucketRule', 'Nested']

    @pulumi.input_type
    class BucketRuleArgs:
        def __init__(__self__, *, status: pulumi.Input['Status'], nested: Optional['Nested'] = None):
            pulumi.set(__self__, "status", status)

        @property
        @pulumi.getter
        def status(self) -> pulumi.Input['Status']:
            return pulumi.get(self, "status")

    class BucketRule(dict):
        def kind(self) -> str:
            return BucketRule.__name__ + Nested.__name__

    class Nested:
        pass
''')


def _load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A package `lazypkg` whose `_inputs` is rewritten as the plan rewrites a provider's type module."""
    package = tmp_path / "lazypkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "_enums.py").write_text("import enum\n__all__ = ['Status']\n\n"
                                       "class Status(str, enum.Enum):\n    ON = 'On'\n")
    exported = {"_enums": ("Status",)}
    tree = lazy_classes.defer_classes(ast.parse(TYPE_MODULE), exported, str(package / "_inputs.py"))
    code = compile(tree, str(package / "_inputs.py"), "exec", dont_inherit=True)
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib
    import types

    module = types.ModuleType("lazypkg._inputs")
    module.__file__ = str(package / "_inputs.py")
    monkeypatch.setitem(sys.modules, "lazypkg._inputs", module)
    importlib.import_module("lazypkg")
    exec(code, module.__dict__)  # noqa: S102 (what the loader does with the rewritten code)
    return module


def test_a_class_is_built_when_first_read_and_is_what_the_module_defines(tmp_path, monkeypatch):
    module = _load(tmp_path, monkeypatch)
    assert "BucketRuleArgs" not in module.__dict__ and "Status" not in module.__dict__
    assert set(module._plan_pending) == {"BucketRuleArgs", "BucketRule", "Nested", "Status"}
    args = module.BucketRuleArgs
    assert (args.__module__, args.__qualname__, args.__init__.__qualname__) == \
        ("lazypkg._inputs", "BucketRuleArgs", "BucketRuleArgs.__init__")
    assert args is module.BucketRuleArgs is module.__dict__["BucketRuleArgs"]  # built once
    assert "Nested" not in module.__dict__  # read only in an annotation: not built with it
    # A method body's global names are built with their class: it runs without the module being read first.
    assert module.BucketRule().kind() == "BucketRuleNested"
    assert module.Status.ON == "On" and module.Status is sys.modules["lazypkg._enums"].Status  # a forward
    assert set(dir(module)) >= {"BucketRuleArgs", "BucketRule", "Nested", "Status"}
    with pytest.raises(AttributeError, match="no attribute 'Missing'"):
        module.Missing


def test_annotations_resolve_names_not_built_yet(tmp_path, monkeypatch):
    module = _load(tmp_path, monkeypatch)
    globalns = dict(module.__dict__)
    lazy_classes.resolve_names(globalns, ["pulumi", "Status", "Nested", "Unknown"], ["lazypkg._inputs"])
    assert globalns["Status"] is sys.modules["lazypkg._enums"].Status and globalns["Nested"] is module.Nested
    assert "Unknown" not in globalns


def test_a_star_import_of_a_type_module_becomes_the_names_the_module_mentions():
    source = textwrap.dedent('''
        import pulumi
        from ._inputs import *
        from ._enums import *
        from . import outputs
        """A docstring naming UnusedArgs does not import it."""

        class Thing(pulumi.CustomResource):
            def __init__(self, rules: Optional[pulumi.Input['RuleArgs']] = None,
                         other: 'outputs.Other' = None):
                kind = Kind.ON
    ''')
    tree = lazy_classes.explicit_star_imports(ast.parse(source), {
        "_inputs": ("RuleArgs", "UnusedArgs"), "_enums": ("Kind", "Unused"), "outputs": ("Other",)})
    imports = [ast.unparse(node) for node in tree.body if isinstance(node, ast.ImportFrom)]
    assert imports == ["from ._inputs import RuleArgs", "from ._enums import Kind", "from . import outputs"]


def test_struct_walk_equals_json_format_on_every_recorded_struct(dev_recording):
    structs = [s for r in dev_recording.registrations for s in (r.inputs_struct, r.state_struct)]
    edge = struct_pb2.Struct()
    edge.update({"none": None, "list": [1, "x", {"nested": True}, [], None], "number": 2.5, "empty": {},
                 "big": 1e300, "negative": -0.0})
    edge.fields["unset"].CopyFrom(struct_pb2.Value())
    for struct in [*structs, edge]:
        assert json.dumps(struct_to_json(struct)) == json.dumps(json_format.MessageToDict(struct))
    for bad in (math.inf, math.nan):
        broken = struct_pb2.Struct()
        broken["x"] = bad
        with pytest.raises(ValueError, match="Fail to serialize"):
            struct_to_json(broken)


@pytest.mark.timeout(600)
@pytest.mark.parametrize("stack,mode", [("dev", "preview"), ("prod", "preview"), ("prod", "update")])
def test_the_stacks_plan_the_same_with_type_classes_built_on_first_use(tmp_path, stack, mode):
    """With the SDKs as installed (PULUMI_PLAN_EAGER_ANNOTATIONS=1: no rewrite) and as the plan loads them, the
    recording, the findings and the printed report are the same (dev in update mode: test_plan.py)."""
    runs = {}
    for eager in ("0", "1"):
        out = tmp_path / eager
        result = subprocess.run([sys.executable, "-m", "tools.plan", "--stack", stack, "--mode", mode, "--out",
                                 str(out)], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
                                env={**__import__("os").environ, "PULUMI_PLAN_EAGER_ANNOTATIONS": eager})
        assert result.returncode == 0, result.stderr
        report = [line for line in result.stdout.splitlines() if not line.startswith("recorded ")]
        runs[eager] = [(out / name).read_text() for name in ("resources.json", "policy-report.json")] + report
    assert runs["0"] == runs["1"]


def test_a_top_level_package_binds_its_service_packages_on_first_use():
    from tools.harness import lazy_annotations

    source = textwrap.dedent('''
        import typing
        from . import _utilities
        if typing.TYPE_CHECKING:
            import pkg.s3 as __s3
            s3 = __s3
        else:
            s3 = _utilities.lazy_import('pkg.s3')
            iam = _utilities.lazy_import('pkg.iam')
    ''')
    tree = ast.parse(source)
    assert lazy_annotations._deferred_lazy_imports(tree, taken={"get_region"}) == {"s3": "pkg.s3", "iam": "pkg.iam"}
    assert "lazy_import" not in ast.unparse(tree) and "import pkg.s3 as __s3" in ast.unparse(tree)
    clashing = ast.parse(source)  # a star import binds `iam` too: the order of the bindings decides, so none moves
    assert lazy_annotations._deferred_lazy_imports(clashing, taken={"iam"}) == {}
    assert ast.unparse(clashing) == ast.unparse(ast.parse(source))


def test_the_provider_packages_behave_as_installed_when_loaded_for_a_plan():
    script = textwrap.dedent('''
        from tools.harness import lazy_annotations
        assert lazy_annotations.install()
        import pulumi_aws as aws, pulumi_aws_native as native
        from pulumi_aws_native import customerprofiles
        assert type(aws).__name__ == "_DeferredPackage" and "s3" not in aws.__dict__
        assert aws.s3.Bucket.__module__ == "pulumi_aws.s3.bucket" and aws.iam.ManagedPolicy.ADMINISTRATOR_ACCESS
        assert "s3" in dir(aws) and "s3" in aws.__dict__ and aws.get_caller_identity.__module__.endswith("identity")
        assert customerprofiles.Domain.__name__ == "Domain" and native.customerprofiles is customerprofiles
        print("ok")
    ''')
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "ok", result.stderr[-2000:]


def test_a_class_whose_first_build_fails_is_built_again_on_the_next_read(monkeypatch):
    """An eager module that failed to import is imported again on the next import; a deferred class whose
    statement raised (an interrupt from the plan's watchdog, a forward whose module failed) must likewise be
    built again on the next read, not vanish from its module (AttributeError ever after)."""
    import marshal
    import types

    code = compile("class Flaky:\n    SOURCE = SOURCES.pop()\n", "<flaky type module>", "exec")
    module = types.ModuleType("flaky_type_module")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    lazy_classes.defer(module.__name__, (("Flaky", marshal.dumps(code), ()),), {})
    module.SOURCES = None  # the class statement fails: None has no pop()
    with pytest.raises(AttributeError, match="pop"):
        module.Flaky  # noqa: B018
    module.SOURCES = ["built"]
    assert module.Flaky.SOURCE == "built" and module.Flaky.__module__ == module.__name__


def test_a_forwarded_name_whose_type_module_failed_is_fetched_again_on_the_next_read(tmp_path, monkeypatch):
    """A service package's name of `_inputs` whose module failed to import (as an eager star import would have
    failed the package's import) is fetched again on the next read, not lost from the package."""
    from tools.harness.lazy_annotations import defer_submodules

    package = tmp_path / "forwarding_package"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "_inputs.py").write_text("import os\nif os.environ.get('FAIL_INPUTS'):\n    raise RuntimeError('inputs')\n"
                                        "class Thing:\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("FAIL_INPUTS", "1")
    import forwarding_package

    monkeypatch.setitem(sys.modules, "forwarding_package", forwarding_package)
    defer_submodules("forwarding_package", {}, {"Thing": "_inputs"}, {})
    with pytest.raises(RuntimeError, match="inputs"):
        forwarding_package.Thing  # noqa: B018
    monkeypatch.delenv("FAIL_INPUTS")
    assert forwarding_package.Thing.__module__ == "forwarding_package._inputs"
    for name in ("forwarding_package", "forwarding_package._inputs"):
        sys.modules.pop(name, None)


def test_the_code_cache_is_keyed_by_the_rewriters_own_source():
    """Cached modules are the rewrite's output: editing lazy_classes.py or lazy_annotations.py must start a new
    cache rather than load code an older rewrite produced."""
    import hashlib

    from tools.harness import lazy_annotations

    digest = hashlib.sha256(b"".join((Path(lazy_annotations.__file__).parent / name).read_bytes()
                                     for name in lazy_annotations.REWRITERS)).hexdigest()[:16]
    assert lazy_annotations.CACHE.name == f"plan-pycache-{digest}"
