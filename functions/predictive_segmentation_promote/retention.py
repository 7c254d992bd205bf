"""Retention of the SageMaker Models of promoted versions: after an activation, this stack's Models older than the
newest `keep` are deleted; the active one is never deleted, whatever its age.

Only names that start with the stack's prefix (`churn-<stack id>-`, set by the component) are candidates:
`NameContains` narrows the listing on the service side, and the prefix is checked again here because it matches
anywhere in a name. The registry in S3 (models/registry/<version>/) keeps every version's artifact, so a deleted
Model can be recreated from it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Pruned:
    kept: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


def stack_models(sagemaker: Any, prefix: str) -> list[dict[str, Any]]:
    """This stack's Models, newest first (the name, which starts with the run's UTC stamp, breaks ties)."""
    models = [model for page in sagemaker.get_paginator("list_models").paginate(
        NameContains=prefix, SortBy="CreationTime", SortOrder="Descending")
        for model in page["Models"] if model["ModelName"].startswith(prefix)]
    return sorted(models, key=lambda m: (m["CreationTime"], m["ModelName"]), reverse=True)


def prune(sagemaker: Any, prefix: str, keep: int, current: str) -> Pruned:
    if keep < 2:
        raise ValueError(f"keep must be at least 2 (the previous model stays for a rollback), got {keep}")
    if not current.startswith(prefix):
        raise ValueError(f"the active model {current!r} does not carry this stack's prefix {prefix!r}")
    # The active one plus the newest others: the newest `keep` whenever the active one is among them.
    others = [m["ModelName"] for m in stack_models(sagemaker, prefix) if m["ModelName"] != current]
    result = Pruned(kept=[current, *others[:keep - 1]])
    for name in others[keep - 1:]:
        sagemaker.delete_model(ModelName=name)
        result.deleted.append(name)
    return result
