"""Lambda code as one deterministic zip: byte-identical for the same entries, named by their hash, found again
without reading the sources, rebuilt when they change, refused above Lambda's direct-upload limit."""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from components import code_archive, packaging


def _function_repo(tmp_path: Path) -> tuple[Path, Path]:
    """A function without requirements (no vendoring, so no network) that bundles a shared package."""
    root = tmp_path / "repo"
    function = root / "functions" / "reader"
    function.mkdir(parents=True)
    (function / "__init__.py").write_text("")
    (function / "handler.py").write_text("from contracts_demo import shape\n\n\ndef lambda_handler(event, context):\n"
                                         "    return shape.COLUMNS\n")
    (function / "shared-packages.txt").write_text("contracts_demo\n")
    package = root / "contracts_demo"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "shape.py").write_text("COLUMNS = ('a', 'b')\n")
    return root, root / "functions"


def _archive(root: Path, functions: Path) -> Path:
    return Path(packaging.function_archive("reader", functions_dir=functions, root=root).path)


def test_same_entries_give_a_byte_identical_zip_named_by_their_hash(tmp_path, monkeypatch):
    root, functions = _function_repo(tmp_path)
    zips = []
    for build in ("build-a", "build-b"):
        monkeypatch.setattr(packaging, "BUILD_DIR", tmp_path / build)
        zips.append(_archive(root, functions))
    assert zips[0] != zips[1] and zips[0].read_bytes() == zips[1].read_bytes()
    entries = packaging.archive_entries("reader", functions_dir=functions, root=root)
    assert zips[0].name == f"{packaging.archive_hash(entries)}.zip"
    with zipfile.ZipFile(zips[0]) as archive:
        members = archive.infolist()
        assert [m.filename for m in members] == list(entries)  # sorted, exactly the entries
        for member in members:
            assert archive.read(member) == entries[member.filename].read_bytes()
            assert member.date_time == (1980, 1, 1, 0, 0, 0)
            assert member.external_attr >> 16 == 0o100644 and member.create_system == 3
            assert member.compress_type == zipfile.ZIP_DEFLATED


def test_the_zip_runs_as_lambda_would_import_it(tmp_path, monkeypatch):
    import subprocess
    import sys

    root, functions = _function_repo(tmp_path)
    monkeypatch.setattr(packaging, "BUILD_DIR", tmp_path / "build")
    task_root = tmp_path / "task"
    with zipfile.ZipFile(_archive(root, functions)) as archive:
        archive.extractall(task_root)
    result = subprocess.run([sys.executable, "-c", "from reader.handler import lambda_handler; "
                             "print(lambda_handler({}, None))"], cwd=task_root, capture_output=True, text=True)
    assert result.stdout.strip() == "('a', 'b')", result.stderr


def test_an_unchanged_function_is_found_without_reading_its_sources(tmp_path, monkeypatch):
    root, functions = _function_repo(tmp_path)
    monkeypatch.setattr(packaging, "BUILD_DIR", tmp_path / "build")
    first = _archive(root, functions)
    # Junk the archive leaves out does not count as a change either.
    (functions / "reader" / "__pycache__").mkdir()
    (functions / "reader" / "__pycache__" / "handler.cpython-311.pyc").write_bytes(b"junk")
    (functions / "reader" / ".DS_Store").write_bytes(b"finder")

    def never(*args, **kwargs):
        raise AssertionError("the entries were read again")

    monkeypatch.setattr(packaging, "archive_entries", never)
    assert _archive(root, functions) == first


@pytest.mark.parametrize("changed", ["reader/handler.py", "contracts_demo/shape.py"])
def test_a_source_change_gives_a_new_zip(tmp_path, monkeypatch, changed):
    root, functions = _function_repo(tmp_path)
    monkeypatch.setattr(packaging, "BUILD_DIR", tmp_path / "build")
    before = _archive(root, functions)
    path = (functions if changed.startswith("reader") else root) / changed
    path.write_text(path.read_text() + "# changed\n")
    after = _archive(root, functions)
    assert after != before and before.is_file()
    with zipfile.ZipFile(after) as archive:
        assert archive.read(changed).endswith(b"# changed\n")


def test_a_touched_but_unchanged_file_keeps_the_same_zip(tmp_path, monkeypatch):
    root, functions = _function_repo(tmp_path)
    monkeypatch.setattr(packaging, "BUILD_DIR", tmp_path / "build")
    before = _archive(root, functions)
    handler = functions / "reader" / "handler.py"
    os.utime(handler, ns=(handler.stat().st_atime_ns, handler.stat().st_mtime_ns + 10**9))
    assert _archive(root, functions) == before
    assert len(list((tmp_path / "build" / "archives").glob("*.zip"))) == 1


def test_a_zip_over_the_direct_upload_limit_is_refused(tmp_path, monkeypatch):
    root, functions = _function_repo(tmp_path)
    monkeypatch.setattr(packaging, "BUILD_DIR", tmp_path / "build")
    monkeypatch.setattr(code_archive, "MAX_DIRECT_UPLOAD_BYTES", 100)
    with pytest.raises(packaging.PackagingError, match="50 MiB uploaded directly.*S3"):
        _archive(root, functions)


def test_every_function_zip_is_within_the_direct_upload_limit():
    functions = packaging.FUNCTIONS_DIR
    for folder in sorted(p for p in functions.iterdir() if (p / "handler.py").is_file()):
        path = Path(packaging.function_archive(folder.name).path)
        assert path.stat().st_size <= code_archive.MAX_DIRECT_UPLOAD_BYTES, folder.name
