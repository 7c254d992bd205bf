"""What a plan recorded: one Registration per resource the program registered or read, as the engine saw it."""
from __future__ import annotations

import hashlib
import json
import os
import stat as stat_module
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from google.protobuf import struct_pb2
from pulumi.runtime import rpc

_SIG_KEY, _ARCHIVE_SIG = rpc._special_sig_key, rpc._special_archive_sig
_RESOURCE_SIG = rpc._special_resource_sig


def run_sync(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Drive a coroutine that never waits on anything (serialising plain values) to its result, with no loop."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise RuntimeError("expected plain values; serialising them waited on a future")


def struct_from(values: Mapping[str, Any]) -> struct_pb2.Struct:
    """Serialize plain values (assets, secrets and unknowns included) to the wire Struct the engine sees."""
    return run_sync(rpc.serialize_properties(dict(values), {}))


class _FileHashes:
    """sha256 of archive files, remembered by (path, size, mtime_ns) under .build/ across plans: a stack's code
    zips are ~100 MB, and hashing them on every plan would cost more than the rest of the program."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.known: dict[str, str] | None = None

    def __call__(self, path: str) -> str | None:
        try:
            stat = os.stat(path)
        except OSError:
            return None  # the engine would fail on it; the recording keeps the path alone
        if not stat_module.S_ISREG(stat.st_mode):
            return None  # a directory: the engine tars it to hash it; not needed by any policy here
        key = f"{os.path.abspath(path)}|{stat.st_size}|{stat.st_mtime_ns}"
        if self.known is None:
            try:
                self.known = dict(json.loads(self.store.read_text()))
            except (OSError, ValueError, TypeError):
                self.known = {}
        if key not in self.known:
            digest = hashlib.sha256()
            with open(path, "rb") as file:
                for chunk in iter(lambda: file.read(1 << 20), b""):
                    digest.update(chunk)
            self.known[key] = digest.hexdigest()
            self._save()
        return self.known[key]

    def _save(self) -> None:
        kept = {key: value for key, value in (self.known or {}).items() if os.path.exists(key.split("|", 1)[0])}
        try:
            self.store.parent.mkdir(parents=True, exist_ok=True)
            partial = self.store.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps(kept, sort_keys=True))
            os.replace(partial, self.store)
        except OSError:
            pass  # a read-only checkout still plans, hashing again next time


file_hash = _FileHashes(Path(__file__).resolve().parents[2] / ".build" / "plan-archive-hashes.json")
# The formats the engine reads as archives by their extension (detectArchiveFormat); hashed as one byte stream.
ARCHIVE_SUFFIXES = (".zip", ".jar", ".tar", ".tgz", ".tar.gz")


def compact_archives(struct: struct_pb2.Struct, *, copy: bool = True) -> struct_pb2.Struct:
    """Give code archives the `hash` the engine hands analyzers: an asset map is replaced by its hash (an empty
    map plus `hash`, still a valid archive); a zip or tarball file gets the sha256 of its bytes, as the engine's
    `Archive.EnsureHash` computes it.

    A vendored function has thousands of entries; the policy servicer deserialises every resource's inputs once
    per policy, so the full map would make the pack's run time grow with the size of the dependencies.
    """
    compact = struct
    if copy:
        compact = struct_pb2.Struct()
        compact.CopyFrom(struct)

    def visit(value: struct_pb2.Struct) -> None:
        fields = value.fields
        if _SIG_KEY in fields and fields[_SIG_KEY].string_value == _ARCHIVE_SIG and "assets" in fields:
            digest = hashlib.sha256(fields["assets"].SerializeToString(deterministic=True)).hexdigest()
            fields["assets"].CopyFrom(struct_pb2.Value(struct_value=struct_pb2.Struct()))
            fields["hash"].string_value = digest
            return
        if _SIG_KEY in fields and fields[_SIG_KEY].string_value == _ARCHIVE_SIG and "path" in fields \
                and "hash" not in fields and fields["path"].string_value.endswith(ARCHIVE_SUFFIXES):
            digest = file_hash(fields["path"].string_value)
            if digest is not None:
                fields["hash"].string_value = digest
            return
        for item in fields.values():
            if item.HasField("struct_value"):
                visit(item.struct_value)
            elif item.HasField("list_value"):
                for element in item.list_value.values:
                    if element.HasField("struct_value"):
                        visit(element.struct_value)

    visit(compact)
    return compact


def resources_as_ids(value: struct_pb2.Struct) -> struct_pb2.Struct:
    """Resource references -> the referenced id (custom resource; unknown while it has none) or URN (component),
    as the engine marshals inputs for analyzers and providers (KeepResources=false)."""

    def convert(item: struct_pb2.Value) -> None:
        if item.HasField("struct_value"):
            fields = item.struct_value.fields
            if _SIG_KEY in fields and fields[_SIG_KEY].string_value == _RESOURCE_SIG:
                if "id" in fields:
                    item.string_value = fields["id"].string_value or rpc.UNKNOWN
                else:
                    item.string_value = fields["urn"].string_value
                return
            for child in fields.values():
                convert(child)
        elif item.HasField("list_value"):
            for child in item.list_value.values:
                convert(child)

    converted = struct_pb2.Struct()
    converted.CopyFrom(value)
    for child in converted.fields.values():
        convert(child)
    return converted


def _seconds(duration: str) -> float:
    """A Go duration ("5m", "1h30m", "90s") -> seconds, as the engine converts custom timeouts for analyzers."""
    import re

    units = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    return sum(float(n) * units[u] for n, u in re.findall(r"([0-9.]+)(ms|h|m|s)", duration or ""))


def request_options(request: Any) -> dict[str, Any]:
    return {"protect": bool(request.protect), "ignoreChanges": list(request.ignoreChanges),
            "deleteBeforeReplace": request.deleteBeforeReplace if request.deleteBeforeReplaceDefined else None,
            "additionalSecretOutputs": list(request.additionalSecretOutputs),
            "aliases": [a.urn for a in request.aliases if a.urn] + list(request.aliasURNs),
            "customTimeouts": {"create": _seconds(request.customTimeouts.create),
                               "update": _seconds(request.customTimeouts.update),
                               "delete": _seconds(request.customTimeouts.delete)}}


@dataclass
class Registration:
    urn: str
    type: str
    name: str
    custom: bool
    parent: str
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    protect: bool
    inputs: dict[str, Any]
    inputs_struct: struct_pb2.Struct
    state_struct: struct_pb2.Struct = field(default_factory=struct_pb2.Struct)
    state: dict[str, Any] = field(default_factory=dict)
    id: str | None = None
    op: str = "create"  # create | read (Resource.get, StackReference)
    provider: str = ""  # "<provider urn>::<id>" when the program passed a provider
    options: dict[str, Any] = field(default_factory=dict)
    source: str = ""  # file:line of the constructor call in the program
    sequence: int = 0  # construction order in the program


@dataclass
class Recording:
    project: str
    stack: str
    registrations: list[Registration]
    exports: dict[str, Any]
    mode: str = "update"
    stack_registration: Registration | None = None
    invokes: list[tuple[str, bool]] = field(default_factory=list)  # (token, computed offline?)

    def by_type(self, type_token: str) -> list[Registration]:
        return [r for r in self.registrations if r.type == type_token]

    def by_name(self, name: str, custom: bool = True) -> Registration:
        """The one resource (or, with custom=False, component) of that logical name."""
        matches = [r for r in self.registrations if r.name == name and r.custom == custom]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} resources named {name!r}")
        return matches[0]

    def children(self, parent_urn: str) -> list[Registration]:
        return [r for r in self.registrations if r.parent == parent_urn]

    def descendants(self, urn: str) -> list[Registration]:
        """Children, their children, and so on (depth first)."""
        found = []
        for child in self.children(urn):
            found.append(child)
            found.extend(self.descendants(child.urn))
        return found

    @property
    def unknown_invokes(self) -> list[str]:
        return sorted({token for token, computed in self.invokes if not computed})
