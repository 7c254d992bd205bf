"""A function's code as one deterministic zip, `<BUILD_DIR>/archives/<digest>.zip`, cached across runs.

Pulumi hashes a zip given as a `FileArchive` by reading the file once (sha256 of its bytes), where an
`AssetArchive` of thousands of `FileAsset`s is serialised entry by entry, hashed entry by entry and zipped again by
the engine on every preview and update. The zip holds exactly `packaging.archive_entries` (names sorted, every
entry dated 1980-01-01, mode 0644, deflate level 6, no extra fields), so the same entries give the same bytes
with the same zlib; `<digest>` is `packaging.archive_hash` of the entries (names and bytes), so the file name
changes exactly when the code does.

Finding the zip must cost next to nothing when nothing changed: a fingerprint of the inputs (the vendored
cache directory, which never changes once complete, and the names, sizes and mtimes of the function's own and
its shared packages' files, read with `os.scandir`, plus the bytecode interpreter) points to the digest in
`archives/index/`. Any change to those gives a new fingerprint, and the entries are read and hashed again
(a new zip is written only when the digest is new).
"""
from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

from . import packaging

FORMAT = "zip-1"  # part of every fingerprint: a change to the layout below invalidates every cached zip
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 6
# Lambda takes a zip of at most 50 MB in the request itself (CreateFunction/UpdateFunctionCode ZipFile, which is
# how the provider uploads `code`); larger ones must come from S3 (s3Bucket/s3Key).
MAX_DIRECT_UPLOAD_BYTES = 50 * 1024 * 1024


def _stats(base: Path, prefix: str) -> list[tuple[str, int, int]]:
    """(archive path, size, mtime_ns) of every file the archive could take from `base` (a superset of what
    `packaging._walk` keeps: only what it always leaves out is skipped)."""
    found: list[tuple[str, int, int]] = []
    pending = [(str(base), prefix)]
    while pending:
        folder, archive_prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in packaging.EXCLUDED_DIRS:
                        pending.append((entry.path, f"{archive_prefix}{entry.name}/"))
                elif not entry.name.startswith(".") and not entry.name.endswith((".pyc", ".pyo")):
                    stat = entry.stat()
                    found.append((archive_prefix + entry.name, stat.st_size, stat.st_mtime_ns))
    return sorted(found)


def fingerprint(name: str, python_version: str, architecture: str, function_dir: Path, root: Path,
                vendored: Path | None) -> str:
    """Cheap to compute; equal fingerprints mean equal entries (unless a file changed within its mtime tick
    without changing size, which Python's own bytecode cache also assumes away)."""
    interpreter = packaging.runtime_python(python_version)
    complete = (vendored / ".complete").stat().st_mtime_ns if vendored is not None else None
    digest = hashlib.sha256(json.dumps([FORMAT, name, python_version, architecture, str(vendored), complete,
                                        interpreter]).encode())
    sources = [(function_dir, f"{name}/"), *((p, f"{p.name}/") for p in packaging.shared_packages_of(function_dir,
                                                                                                        root))]
    for base, prefix in sources:
        digest.update(json.dumps(_stats(base, prefix)).encode())
    return digest.hexdigest()


def write_zip(entries: dict[str, Path], directory: Path) -> tuple[Path, str]:
    """Zip `entries` into `directory/<archive_hash>.zip` (reading every file once); returns (path, digest)."""
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f".partial-{os.getpid()}-{id(entries)}.zip"
    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(partial, "w") as archive:
            for archive_path, path in sorted(entries.items()):
                data = path.read_bytes()
                digest.update(archive_path.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
                info = zipfile.ZipInfo(archive_path, ZIP_DATE)
                info.external_attr = 0o100644 << 16  # a regular file, rw-r--r-- (Lambda needs it world-readable)
                info.create_system = 3  # Unix, so the mode above is what unzip and Lambda apply
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL)
        target = directory / f"{digest.hexdigest()}.zip"
        os.replace(partial, target)  # atomic: a concurrent plan sees the old file or the whole new one
    finally:
        partial.unlink(missing_ok=True)
    return target, digest.hexdigest()


def function_zip(name: str, python_version: str, architecture: str, functions_dir: Path, root: Path) -> Path:
    """The function's zip, built when its fingerprint is new; PackagingError when Lambda could not take it."""
    function_dir = functions_dir / name
    if not (function_dir / "handler.py").is_file():
        raise packaging.PackagingError(f"{function_dir} has no handler.py")
    directory = packaging.BUILD_DIR / "archives"
    vendored = packaging.vendor(packaging.requirements_of(function_dir), python_version, architecture)
    key = fingerprint(name, python_version, architecture, function_dir, root, vendored)
    index = directory / "index" / f"{key}.json"
    try:
        known = directory / f"{json.loads(index.read_text())['digest']}.zip"
        if known.is_file():
            return _within_limits(name, known)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    entries = packaging.archive_entries(name, python_version, architecture, functions_dir, root)
    target, digest = write_zip(entries, directory)
    index.parent.mkdir(parents=True, exist_ok=True)
    partial = index.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps({"digest": digest, "function": name}))
    os.replace(partial, index)
    return _within_limits(name, target)


def _within_limits(name: str, path: Path) -> Path:
    size = path.stat().st_size
    if size > MAX_DIRECT_UPLOAD_BYTES:
        raise packaging.PackagingError(
            f"function {name}: its zip is {size / 2**20:.1f} MiB; Lambda takes at most 50 MiB uploaded directly "
            f"(upload it to S3 and pass s3_bucket/s3_key, or trim its requirements)")
    return path
