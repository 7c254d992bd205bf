"""Turn `functions/<name>/` into a deterministic Lambda archive, dependencies vendored for the Lambda platform.

Layout of the archive: the function's package under `<name>/` (so its handler is `<name>.handler.lambda_handler`
and its modules import each other relatively) and the wheels of its `requirements.txt` at the root, installed
for manylinux on the function's architecture and Python version. The entries go into one deterministic zip
(`code_archive`), named by their hash over names and bytes, so the archive is stable as long as the bytes are:
`__pycache__`, tests, and the files pip writes with machine-specific content (`RECORD`, `INSTALLER`,
`direct_url.json`, `bin/` shebangs) are left out.
Vendored wheels are cached under `.build/vendor/<hash of requirements and platform>/`.

Bytecode ships too, so a cold start does not compile every module (Lambda's /var/task is read-only: without
`.pyc` files in the archive, every container compiles everything it imports): each `.py` entry gets a
`__pycache__/<name>.cpython-<XY>.pyc` compiled by an interpreter of the RUNTIME's version, in
`unchecked-hash` mode (no timestamps; the source hash is not even checked at import), with the archive path as
file name and PYTHONHASHSEED=0, so the same source gives the same bytes. The interpreter is
$ENGAGEMENT_RUNTIME_PYTHON, else `python3.13` on PATH, else the running one when its version matches; with
none, the archive ships sources only (correct, slower to start) and says so. ENGAGEMENT_BYTECODE=off disables it.

Code shared by several functions (data contracts such as `contracts/`) is shared deliberately, not copied: a
function lists the repository's top-level packages it needs in `functions/<name>/shared-packages.txt`, and they
are bundled at the archive root, so `import contracts.events` works the same in tests and in Lambda. A shared
package must be pure Python and must not import pulumi (it runs inside the function).
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pulumi

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS_DIR = ROOT / "functions"
BUILD_DIR = Path(os.environ.get("ENGAGEMENT_BUILD_DIR", ROOT / ".build"))
# Every Lambda Python runtime from 3.12 on runs on Amazon Linux 2023 (glibc 2.34): wheels for glibc 2.28
# (manylinux_2_28, which DuckDB and current pyarrow ship) run there as well as manylinux2014 ones.
PLATFORMS = {"arm64": ("manylinux2014_aarch64", "manylinux_2_28_aarch64"),
             "x86_64": ("manylinux2014_x86_64", "manylinux_2_28_x86_64")}
# Provided by every Lambda Python runtime; vendoring them would add ~20 MB and pin a stale SDK.
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer")
EXCLUDED_DIRS = {"__pycache__", "tests", "test", "bin", ".pytest_cache"}
EXCLUDED_DIST_INFO_FILES = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}
MAX_UNZIPPED_BYTES = 250 * 1024 * 1024  # Lambda's limit for function code and layers together


class PackagingError(Exception):
    pass


def _included(relative: Path) -> bool:
    parts = relative.parts
    if any(part in EXCLUDED_DIRS for part in parts[:-1]) or relative.suffix in (".pyc", ".pyo"):
        return False
    if parts[0].split("-")[0].lower() in RUNTIME_PROVIDED or parts[0].lower() in RUNTIME_PROVIDED:
        return False
    if len(parts) >= 2 and parts[-2].endswith(".dist-info") and parts[-1] in EXCLUDED_DIST_INFO_FILES:
        return False
    return not relative.name.startswith(".")


def _walk(base: Path) -> list[Path]:
    return sorted(p.relative_to(base) for p in base.rglob("*") if p.is_file() and _included(p.relative_to(base)))


def requirements_of(function_dir: Path) -> list[str]:
    path = function_dir / "requirements.txt"
    if not path.is_file():
        return []
    lines = [line.split("#", 1)[0].strip() for line in path.read_text().splitlines()]
    return [line for line in lines if line]


def shared_packages_of(function_dir: Path, root: Path = ROOT) -> list[Path]:
    """The repository packages a function bundles (one name per line in `shared-packages.txt`)."""
    path = function_dir / "shared-packages.txt"
    if not path.is_file():
        return []
    packages = []
    for line in path.read_text().splitlines():
        name = line.split("#", 1)[0].strip()
        if not name:
            continue
        package = root / name
        if not name.isidentifier() or not (package / "__init__.py").is_file():
            raise PackagingError(f"{path}: '{name}' is not a package at the top of the repository")
        packages.append(package)
    return packages


def vendor(requirements: list[str], python_version: str, architecture: str) -> Path | None:
    """Install pinned requirements for the Lambda platform into a cache directory; return it (None if none)."""
    if not requirements:
        return None
    if any("==" not in r and not r.startswith("-") for r in requirements):
        raise PackagingError(f"requirements must be pinned with ==, got {requirements}")
    platforms = PLATFORMS[architecture]
    key = hashlib.sha256("\n".join([python_version, architecture, *platforms, *sorted(requirements)]).encode()
                         ).hexdigest()
    target = BUILD_DIR / "vendor" / key[:16]
    if (target / ".complete").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        requirements_file = Path(scratch) / "requirements.txt"
        requirements_file.write_text("\n".join(requirements) + "\n")
        install_dir = Path(scratch) / "site"
        command = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                   "--no-compile", "--target", str(install_dir),
                   *[argument for platform in platforms for argument in ("--platform", platform)],
                   "--implementation", "cp", "--python-version", python_version, "--only-binary=:all:",
                   "-r", str(requirements_file)]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise PackagingError(f"could not vendor {requirements} for {architecture}/py{python_version}: "
                                 f"{result.stderr.strip().splitlines()[-1] if result.stderr else result.stdout}")
        _write_manifest(install_dir)
        if target.exists():
            shutil.rmtree(target)
        install_dir.rename(target)
    return target


def _write_manifest(directory: Path) -> list[tuple[str, int]]:
    """Record the vendored files once (the cache never changes afterwards), so a plan need not walk them."""
    files = [(relative.as_posix(), (directory / relative).stat().st_size) for relative in _walk(directory)]
    (directory / ".complete").write_text(json.dumps(files))
    return files


def _vendored_files(directory: Path) -> list[tuple[str, int]]:
    try:
        return [(name, size) for name, size in json.loads((directory / ".complete").read_text())]
    except (ValueError, TypeError):  # a cache written before manifests existed
        return _write_manifest(directory)


def runtime_python(python_version: str) -> str | None:
    """An interpreter of `python_version` to compile bytecode with, or None."""
    if os.environ.get("ENGAGEMENT_BYTECODE", "auto") == "off":
        return None
    return _find_python(python_version, os.environ.get("ENGAGEMENT_RUNTIME_PYTHON", ""))


@functools.cache
def _find_python(python_version: str, explicit: str) -> str | None:
    if explicit:
        return explicit
    if f"{sys.version_info.major}.{sys.version_info.minor}" == python_version:
        return sys.executable
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"), "versions")
    candidates = [shutil.which(f"python{python_version}"), *map(str, sorted(pyenv.glob(f"{python_version}.*/bin/python"),
                                                                          reverse=True))]
    # Probing starts an interpreter per candidate (~0.15 s each); the answer is remembered per candidate list,
    # and kept only while the interpreter it names is still there.
    remembered = BUILD_DIR / f"runtime-python-{python_version}.json"
    key = [c for c in candidates if c]
    try:
        cached = json.loads(remembered.read_text())
        if cached["candidates"] == key and (cached["python"] is None or Path(cached["python"]).is_file()):
            return cached["python"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    found = None
    for candidate in key:
        probe = subprocess.run([candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                               capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.strip() == python_version:
            found = candidate  # (a pyenv shim without that version selected fails the probe)
            break
    remembered.parent.mkdir(parents=True, exist_ok=True)
    remembered.write_text(json.dumps({"candidates": key, "python": found}))
    return found


_COMPILE = """
import json, py_compile, sys
for source, display, target in json.load(sys.stdin):
    py_compile.compile(source, cfile=target, dfile=display, doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
"""


def _source_digests(sources: dict[str, Path], python_version: str, vendored: Path | None) -> dict[str, str]:
    """Content digest per `.py` entry. Files of a vendored cache directory never change once it is complete, so
    their digests are computed once and kept beside its manifest; the function's own files are read every time."""
    def digest(archive_path: str, file: Path) -> str:
        return hashlib.sha256(python_version.encode() + b"\0" + archive_path.encode() + b"\0"
                              + file.read_bytes()).hexdigest()

    remembered: dict[str, str] = {}
    store = vendored / f".bytecode-{python_version}.json" if vendored is not None else None
    if store is not None:
        try:
            remembered = json.loads(store.read_text())
        except (OSError, ValueError):
            remembered = {}
    digests, learned = {}, False
    for archive_path, file in sources.items():
        if store is not None and file.is_relative_to(vendored):
            if archive_path not in remembered:
                remembered[archive_path] = digest(archive_path, file)
                learned = True
            digests[archive_path] = remembered[archive_path]
        else:
            digests[archive_path] = digest(archive_path, file)
    if learned:
        store.write_text(json.dumps(remembered, sort_keys=True))
    return digests


def bytecode_entries(entries: dict[str, Path], python_version: str,
                     vendored: Path | None = None) -> dict[str, Path]:
    """`__pycache__/*.pyc` entries for every `.py` entry, compiled once per content into BUILD_DIR/bytecode."""
    interpreter = runtime_python(python_version)
    if interpreter is None:
        return {}
    tag = f"cpython-{python_version.replace('.', '')}"
    sources = {path: file for path, file in entries.items() if path.endswith(".py")}
    digests = _source_digests(sources, python_version, vendored)
    compiled: dict[str, Path] = {}
    jobs = []
    for archive_path, file in sources.items():
        digest = digests[archive_path]
        target = BUILD_DIR / "bytecode" / digest[:2] / f"{digest}.pyc"
        folder, _, module = archive_path.rpartition("/")
        pyc_path = f"{folder + '/' if folder else ''}__pycache__/{module[:-3]}.{tag}.pyc"
        compiled[pyc_path] = target
        if not target.is_file():
            jobs.append((str(file), archive_path, str(target)))
    for start in range(0, len(jobs), 2000):
        chunk = jobs[start:start + 2000]
        for _, _, target in chunk:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        result = subprocess.run([interpreter, "-c", _COMPILE], input=json.dumps(chunk), text=True,
                                capture_output=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        if result.returncode != 0:
            raise PackagingError(f"could not compile bytecode with {interpreter}: "
                                 f"{(result.stderr.strip().splitlines() or ['?'])[-1]}")
    return compiled


def archive_entries(name: str, python_version: str = "3.13", architecture: str = "arm64",
                    functions_dir: Path = FUNCTIONS_DIR, root: Path = ROOT) -> dict[str, Path]:
    """Archive path -> file on disk, sorted; what goes into the function's code archive."""
    function_dir = functions_dir / name
    if not (function_dir / "handler.py").is_file():
        raise PackagingError(f"{function_dir} has no handler.py")
    entries: dict[str, Path] = {}
    size = 0
    vendored = vendor(requirements_of(function_dir), python_version, architecture)
    if vendored is not None:
        for relative, file_size in _vendored_files(vendored):
            entries[relative] = vendored / relative
            size += file_size
    for relative in _walk(function_dir):
        if relative.name in ("requirements.txt", "shared-packages.txt") and len(relative.parts) == 1:
            continue
        entries[f"{name}/{relative.as_posix()}"] = function_dir / relative
        size += (function_dir / relative).stat().st_size
    for package in shared_packages_of(function_dir, root):
        for relative in _walk(package):
            archive_path = f"{package.name}/{relative.as_posix()}"
            if archive_path in entries:
                raise PackagingError(f"function {name}: {archive_path} is both vendored and a shared package")
            entries[archive_path] = package / relative
            size += (package / relative).stat().st_size
    entries.update(bytecode_entries(entries, python_version, vendored))
    size += sum(path.stat().st_size for archive_path, path in entries.items() if archive_path.endswith(".pyc"))
    if size > MAX_UNZIPPED_BYTES:
        raise PackagingError(f"function {name} is {size / 2**20:.0f} MiB unzipped; Lambda allows 250 MiB")
    return dict(sorted(entries.items()))


def archive_hash(entries: dict[str, Path]) -> str:
    """sha256 over (name, bytes) of every entry: equal hashes mean Pulumi sees no code change."""
    digest = hashlib.sha256()
    for archive_path, path in sorted(entries.items()):
        data = path.read_bytes()
        digest.update(archive_path.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    return digest.hexdigest()


def function_archive(name: str, python_version: str = "3.13", architecture: str = "arm64",
                     functions_dir: Path = FUNCTIONS_DIR, root: Path = ROOT) -> pulumi.FileArchive:
    """The function's code: one deterministic zip of `archive_entries` (see `code_archive`), built when its
    sources change. Pulumi hashes it as one file; its name is the entries' `archive_hash`."""
    from .code_archive import function_zip

    return pulumi.FileArchive(str(function_zip(name, python_version, architecture, functions_dir, root)))
