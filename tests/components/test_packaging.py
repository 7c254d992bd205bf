"""Lambda packaging: deterministic archives, vendored for the Lambda platform, no junk inside."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from components import packaging

REPO_ROOT = Path(__file__).resolve().parents[2]


def _function_copy(tmp_path: Path, name: str = "events_transform") -> Path:
    functions = tmp_path / "functions"
    shutil.copytree(REPO_ROOT / "functions" / name, functions / name,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return functions


def test_same_source_gives_the_same_archive_hash_twice(tmp_path):
    # Given one function folder
    functions = _function_copy(tmp_path)
    # When it is packaged twice, the second time with bytecode and test junk lying around
    first = packaging.archive_hash(packaging.archive_entries("events_transform", functions_dir=functions))
    junk = functions / "events_transform" / "__pycache__"
    junk.mkdir()
    (junk / "handler.cpython-311.pyc").write_bytes(b"\x00bytecode")
    (functions / "events_transform" / ".DS_Store").write_bytes(b"finder")
    second = packaging.archive_hash(packaging.archive_entries("events_transform", functions_dir=functions))
    # Then Pulumi would see no change
    assert first == second


def test_a_source_change_changes_the_hash(tmp_path):
    functions = _function_copy(tmp_path)
    before = packaging.archive_hash(packaging.archive_entries("events_transform", functions_dir=functions))
    handler = functions / "events_transform" / "handler.py"
    handler.write_text(handler.read_text() + "\n# changed\n")
    after = packaging.archive_hash(packaging.archive_entries("events_transform", functions_dir=functions))
    assert before != after


def test_vendoring_into_two_build_dirs_gives_identical_archives(tmp_path, monkeypatch):
    # pip writes machine-specific RECORD files and shebangs; they must not leak into the archive hash.
    functions = _function_copy(tmp_path)
    hashes = []
    for build in ("build-a", "build-b"):
        monkeypatch.setattr(packaging, "BUILD_DIR", tmp_path / build)
        hashes.append(packaging.archive_hash(packaging.archive_entries("events_transform", functions_dir=functions)))
    assert hashes[0] == hashes[1]


def test_archive_layout_is_package_plus_vendored_arm64_wheels():
    entries = packaging.archive_entries("events_transform")
    names = list(entries)
    assert names == sorted(names)
    assert "events_transform/handler.py" in entries
    assert "events_transform/requirements.txt" not in entries
    assert any(n.startswith("aws_lambda_powertools/") for n in names), "powertools must be vendored"
    assert any(n.startswith("pydantic_core/") and "aarch64" in n for n in names), "pydantic-core for arm64"
    # Bytecode only as compiled for the runtime (cpython-313), one per source: never stray local __pycache__.
    compiled = [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert all(n.endswith(".cpython-313.pyc") for n in compiled)
    assert all(n.replace("__pycache__/", "").replace(".cpython-313.pyc", ".py") in entries for n in compiled)
    assert not any(n.startswith(("boto3/", "botocore/", "bin/")) for n in names)
    assert not any(n.endswith((".dist-info/RECORD", ".dist-info/INSTALLER", "direct_url.json")) for n in names)


def test_unpinned_requirements_are_refused():
    with pytest.raises(packaging.PackagingError, match="pinned"):
        packaging.vendor(["requests>=2"], "3.13", "arm64")


def test_folder_without_handler_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(packaging.PackagingError, match="has no handler.py"):
        packaging.archive_entries("empty", functions_dir=tmp_path)


def test_every_function_folder_packages_within_lambda_limits():
    for folder in sorted(p for p in (REPO_ROOT / "functions").iterdir() if (p / "handler.py").is_file()):
        entries = packaging.archive_entries(folder.name)
        size = sum(path.stat().st_size for path in entries.values())
        assert size < packaging.MAX_UNZIPPED_BYTES
        assert f"{folder.name}/__init__.py" in entries, "a function folder must be a package"


def test_every_function_that_imports_a_shared_package_bundles_it():
    import re

    shared = {p.name for p in REPO_ROOT.iterdir() if (p / "__init__.py").is_file() and p.name != "functions"}
    for folder in sorted(p for p in (REPO_ROOT / "functions").iterdir() if (p / "handler.py").is_file()):
        imported = {m for f in folder.rglob("*.py")
                    for m in re.findall(r"^\s*(?:from|import) (\w+)", f.read_text(), re.MULTILINE)} & shared
        bundled = {p.name for p in packaging.shared_packages_of(folder)}
        assert imported <= bundled, f"functions/{folder.name} imports {sorted(imported - bundled)} unbundled"
        entries = packaging.archive_entries(folder.name)
        assert all(f"{name}/__init__.py" in entries for name in imported)


def _shared_package_repo(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "repo"
    function = root / "functions" / "reader"
    function.mkdir(parents=True)
    (function / "handler.py").write_text("from contracts_demo import shape\n")
    (function / "shared-packages.txt").write_text("# the contract this function reads\ncontracts_demo\n")
    package = root / "contracts_demo"
    (package / "__pycache__").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "shape.py").write_text("COLUMNS = ('a', 'b')\n")
    (package / "__pycache__" / "shape.cpython-311.pyc").write_bytes(b"junk")
    return root, root / "functions"


def test_shared_package_is_bundled_at_the_archive_root(tmp_path):
    # Given a function that lists a repository package in shared-packages.txt
    root, functions = _shared_package_repo(tmp_path)
    # When it is packaged
    entries = packaging.archive_entries("reader", functions_dir=functions, root=root)
    # Then the package sits at the root (importable as in tests), and the list file is not shipped
    sources = {n for n in entries if not n.endswith(".pyc")}
    assert sources == {"reader/handler.py", "contracts_demo/__init__.py", "contracts_demo/shape.py"}


def test_a_shared_package_change_changes_the_function_hash(tmp_path):
    root, functions = _shared_package_repo(tmp_path)
    before = packaging.archive_hash(packaging.archive_entries("reader", functions_dir=functions, root=root))
    (root / "contracts_demo" / "shape.py").write_text("COLUMNS = ('a', 'b', 'c')\n")
    after = packaging.archive_hash(packaging.archive_entries("reader", functions_dir=functions, root=root))
    assert before != after


def test_unknown_shared_package_is_refused(tmp_path):
    root, functions = _shared_package_repo(tmp_path)
    (functions / "reader" / "shared-packages.txt").write_text("no_such_package\n")
    with pytest.raises(packaging.PackagingError, match="'no_such_package' is not a package"):
        packaging.archive_entries("reader", functions_dir=functions, root=root)


def test_bytecode_ships_compiled_for_the_runtime_reproducibly(tmp_path, monkeypatch):
    # Compiled with the running interpreter (its version as the "runtime"), so this holds on any CI machine.
    import importlib.util
    import sys

    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    monkeypatch.delenv("ENGAGEMENT_BYTECODE", raising=False)
    functions = _function_copy(tmp_path)
    hashes = []
    for build in ("build-a", "build-b"):
        monkeypatch.setattr(packaging, "BUILD_DIR", tmp_path / build)
        entries = packaging.archive_entries("events_transform", python_version=version, functions_dir=functions)
        hashes.append(packaging.archive_hash(entries))
    tag = f"cpython-{version.replace('.', '')}"
    pyc = entries[f"events_transform/__pycache__/handler.{tag}.pyc"].read_bytes()
    # unchecked-hash bytecode: flags 0b01 (hash-based, not checked), the interpreter's magic number
    assert pyc[:4] == importlib.util.MAGIC_NUMBER and int.from_bytes(pyc[4:8], "little") == 0b01
    assert b"events_transform/handler.py" in pyc and str(tmp_path).encode() not in pyc
    assert all(f"__pycache__/" in p for p in entries if p.endswith(".pyc"))
    assert sum(p.endswith(".pyc") for p in entries) == sum(p.endswith(".py") for p in entries)
    assert hashes[0] == hashes[1]


def test_bytecode_can_be_switched_off(tmp_path, monkeypatch):
    monkeypatch.setenv("ENGAGEMENT_BYTECODE", "off")
    functions = _function_copy(tmp_path)
    entries = packaging.archive_entries("events_transform", functions_dir=functions)
    assert not any(p.endswith(".pyc") for p in entries)
