"""The post-processing archive carries DuckDB built for Lambda's arm64 (a manylinux_2_28 wheel), within limits;
the training source directory is deterministic and holds what script mode runs."""
from __future__ import annotations

import gzip
import io
import tarfile

from components import packaging
from components.predictive_segmentation import code_bundle

EM_AARCH64 = 183  # ELF e_machine of arm64


def test_postprocess_archive_vendors_duckdb_for_arm64():
    entries = packaging.archive_entries("predictive_segmentation_postprocess")
    libraries = [path for name, path in entries.items() if name.startswith("_duckdb") and name.endswith(".so")]
    assert libraries, "duckdb's compiled module is not in the archive"
    header = libraries[0].read_bytes()[:20]
    assert header[:4] == b"\x7fELF" and int.from_bytes(header[18:20], "little") == EM_AARCH64
    assert "contracts/churn_scores.py" in entries and "boto3/__init__.py" not in entries
    assert sum(p.stat().st_size for p in entries.values()) < packaging.MAX_UNZIPPED_BYTES


def test_training_source_directory_is_deterministic_and_complete(tmp_path):
    first, digest = code_bundle.build(tmp_path / "a")
    second, again = code_bundle.build(tmp_path / "b")
    assert digest == again and first.read_bytes() == second.read_bytes()
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(first.read_bytes()))) as archive:
        names = archive.getnames()
        assert {m.mtime for m in archive.getmembers()} == {0}
    assert "train.py" in names and "training/churn/train.py" in names and "contracts/churn_features.py" in names
    assert not any("__pycache__" in name for name in names)
