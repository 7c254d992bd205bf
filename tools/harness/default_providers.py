"""The engine's default providers, offline.

A custom resource (or a read, or an invoke) that names no provider gets the default provider of its package: the
engine registers `pulumi:providers:<package>` named `default_<version>` (dots -> underscores; plain `default`
without a version) once per package and version, before the first resource that needs it. Its inputs are the
stack's config of that namespace (`aws:region` -> `region`; every value the string the CLI holds, objects as JSON;
secret keys stay secret; a dynamic provider gets every key, namespaced: `Target.GetPackageConfig`) plus
`version`, and the resource's `provider` reference points at it (`<urn>::<id>`). Analyzers see it as any other
resource. The builtin `pulumi` package (StackReference) is served by the engine's builtins provider, which is
not a registered resource.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi.runtime import rpc

PROVIDER_PREFIX = "pulumi:providers:"
BUILTIN_PACKAGE = "pulumi"
DYNAMIC_PACKAGES = ("pulumi-python", "pulumi-nodejs")


def default_name(version: str, download_url: str = "") -> str:
    name = "default"
    if version:
        name += "_" + version.replace(".", "_").replace("+", "-")
    if download_url:
        name += "_" + re.sub(r"[^A-Za-z0-9_-]", "_", download_url)
    return name


def is_default_provider(urn: str, type_: str) -> bool:
    return type_.startswith(PROVIDER_PREFIX) and urn.rsplit("::", 1)[-1].startswith("default")


@dataclass
class DefaultProviders:
    """(package, version, download URL) -> the provider registration the engine would make for it."""
    config: Mapping[str, str]
    secret_keys: tuple[str, ...] = ()
    refs: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def needed(self, type_: str, provider: str) -> str | None:
        """The package of a registration that gets a default provider, or None."""
        if provider or type_.startswith(PROVIDER_PREFIX) or ":" not in type_:
            return None
        package = type_.split(":", 1)[0]
        return None if package == BUILTIN_PACKAGE else package

    def inputs(self, package: str, version: str, download_url: str) -> dict[str, Any]:
        """The provider's inputs: the namespace's stack config (strings, as the engine passes them) + version."""
        prefix = f"{package}:"
        dynamic = package in DYNAMIC_PACKAGES  # the engine hands a dynamic provider the whole config, namespaced
        inputs: dict[str, Any] = {}
        for key in sorted(self.config):
            if dynamic or key.startswith(prefix):
                value = str(self.config[key])
                inputs[key if dynamic else key[len(prefix):]] = (
                    {rpc._special_sig_key: rpc._special_secret_sig, "value": value} if key in self.secret_keys
                    else value)
        if version:
            inputs["version"] = version
        if download_url:
            inputs["pluginDownloadURL"] = download_url
        return inputs
