"""Code archives in the recording: each Lambda's code is one zip with the hash the engine gives analyzers
(sha256 of the file's bytes), remembered across plans but never stale."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pulumi

from tools.harness import recording
from tools.harness.recording import compact_archives, struct_from


def test_every_function_records_its_zip_and_the_engines_hash_of_it(dev_recording):
    functions = dev_recording.by_type("aws:lambda/function:Function")
    assert len(functions) >= 10
    for function in functions:
        code = function.inputs_struct.fields["code"].struct_value.fields
        path = Path(code["path"].string_value)
        assert path.parent.name == "archives" and path.suffix == ".zip"
        assert code["hash"].string_value == hashlib.sha256(path.read_bytes()).hexdigest()
        assert isinstance(function.inputs["code"], pulumi.FileArchive)


def test_a_changed_zip_gets_a_new_hash_and_the_store_survives_a_new_process(tmp_path, monkeypatch):
    store = recording._FileHashes(tmp_path / "hashes.json")
    monkeypatch.setattr(recording, "file_hash", store)
    archive = tmp_path / "code.zip"
    archive.write_bytes(b"first")
    first = compact_archives(struct_from({"code": pulumi.FileArchive(str(archive))}))
    assert first.fields["code"].struct_value.fields["hash"].string_value == hashlib.sha256(b"first").hexdigest()
    archive.write_bytes(b"second!")
    second = compact_archives(struct_from({"code": pulumi.FileArchive(str(archive))}))
    assert second.fields["code"].struct_value.fields["hash"].string_value == hashlib.sha256(b"second!").hexdigest()
    assert (tmp_path / "hashes.json").is_file()
    again = recording._FileHashes(tmp_path / "hashes.json")  # a later plan: read from the store, not the file
    monkeypatch.setattr(hashlib, "sha256", None)
    assert again(str(archive)) == second.fields["code"].struct_value.fields["hash"].string_value


def test_a_directory_archive_keeps_its_path_without_a_hash(tmp_path):
    struct = compact_archives(struct_from({"code": pulumi.FileArchive(str(tmp_path))}))
    assert "hash" not in struct.fields["code"].struct_value.fields
