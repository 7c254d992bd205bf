"""The SageMaker script-mode source directory: training/ + contracts/ + a `train.py` entry point, as a
deterministic tar.gz (sorted entries, zero mtimes, fixed owner), so the same source gives the same object key
and `pulumi preview` shows no change until the training code really changes."""
from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("training", "contracts")
ENTRY_POINT = b"import sys\n\nfrom training.churn.train import main\n\nsys.exit(main())\n"


def _files() -> list[tuple[str, bytes]]:
    files = [("train.py", ENTRY_POINT)]
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "__pycache__" not in path.parts:
                files.append((path.relative_to(ROOT).as_posix(), path.read_bytes()))
    return sorted(files)


def build(target_dir: Path = ROOT / ".build" / "predictive_segmentation") -> tuple[Path, str]:
    """Write sourcedir.tar.gz; returns (path, sha256 of its bytes)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, data in _files():
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode, info.uid, info.gid = len(data), 0, 0o644, 0, 0
            archive.addfile(info, io.BytesIO(data))
    compressed = gzip.compress(raw.getvalue(), mtime=0)
    digest = hashlib.sha256(compressed).hexdigest()
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / f"sourcedir-{digest[:16]}.tar.gz"
    if not path.exists():
        path.write_bytes(compressed)
    return path, digest
