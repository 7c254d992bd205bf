"""S3 reads and writes of the post-processing, kept to the solution's own bucket (paths come from the run id)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any


def list_keys(s3: Any, bucket: str, prefix: str) -> Iterator[str]:
    """Every object key under a prefix, across pages (batch transform writes one file per input file)."""
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            if not item["Key"].endswith("/") and item.get("Size", 1) > 0:
                yield item["Key"]


def download_prefix(s3: Any, bucket: str, prefix: str, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, key in enumerate(sorted(list_keys(s3, bucket, prefix))):
        # keep the extension (.gz tells DuckDB to decompress) but never trust the key as a path
        path = folder / f"part-{index:05d}{''.join(Path(key).suffixes[-1:])}"
        s3.download_file(bucket, key, str(path))
        paths.append(path)
    return paths


def download_if_exists(s3: Any, bucket: str, key: str, path: Path) -> Path | None:
    try:
        s3.head_object(Bucket=bucket, Key=key)
    except s3.exceptions.ClientError as error:
        if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    path.parent.mkdir(parents=True, exist_ok=True)
    s3.download_file(bucket, key, str(path))
    return path


def latest_history_before(s3: Any, bucket: str, prefix: str, as_of: str) -> str | None:
    """The newest `dt=` partition under prefix strictly before as_of (the previous run), if any."""
    dates = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix, Delimiter="/"):
        for common in page.get("CommonPrefixes", []):
            name = common["Prefix"][len(prefix):].strip("/")
            if name.startswith("dt=") and name[3:] < as_of:
                dates.append(name[3:])
    return max(dates) if dates else None
