"""New-style transforms (`ResourceOptions(transforms=...)`, `register_resource_transform`,
`register_invoke_transform`) run as the engine runs them, without the gRPC hop.

The SDK registers each transform with its callbacks server and sends `Callback{target, token}` refs; the engine's
resource monitor then calls them (CallbacksServicer.Invoke with a serialised TransformRequest) before it registers
the resource: the resource's own transforms, then its parent's, its grandparent's and so on up the tree, then the
stack transforms registered so far, each fed the previous one's properties and options. The stack itself is never
transformed. Here the SDK's own servicer does the (de)serialisation (same bytes, same code path), only its gRPC
server is not started; the recorder calls the callbacks by token.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from pulumi.runtime._callbacks import _CallbackServicer
from pulumi.runtime.proto import alias_pb2, resource_pb2

_Callback = Callable[[bytes], Any]


class InProcessCallbacks(_CallbackServicer):
    """The SDK's callbacks servicer minus its gRPC server: the monitor calls `_callbacks[token]` directly."""

    def __init__(self, monitor: Any, loop: asyncio.AbstractEventLoop) -> None:  # noqa: D107 (no super: no server)
        self._callbacks, self._transforms, self._state_migrations = {}, {}, {}
        self._monitor, self._loop, self._target = monitor, loop, "in-process"

    async def serve(self) -> None:
        return None


class TransformChains:
    """What the engine's resource monitor keeps: each resource's own transforms and parent, the stack's
    transforms (in registration order), and the stack invoke transforms."""

    def __init__(self) -> None:
        self.callbacks: InProcessCallbacks | None = None
        self.own: dict[str, list[str]] = {}
        self.parents: dict[str, str] = {}
        self.stack: list[str] = []
        self.invoke_stack: list[str] = []

    def chain(self, urn: str, request: resource_pb2.RegisterResourceRequest) -> list[str]:
        """Remember the resource's transforms and parent; return the tokens to apply, in the engine's order."""
        own = [callback.token for callback in request.transforms]
        if own:
            self.own[urn] = own
        self.parents[urn] = request.parent
        tokens = list(own)
        ancestor = request.parent
        while ancestor:
            tokens.extend(self.own.get(ancestor, ()))
            ancestor = self.parents.get(ancestor, "")
        return tokens + self.stack

    async def _run(self, tokens: list[str], build: Callable[[Any, Any], Any], values: Any, options: Any,
                   field: str) -> tuple[Any, Any]:
        """Call each transform with the previous one's output (`field`: properties or args); unset fields of a
        response keep the values they had, as the engine's callback wrapper does."""
        assert self.callbacks is not None
        for token in tokens:
            response = await self.callbacks._callbacks[token](build(values, options).SerializeToString())
            if response.HasField(field):
                values = getattr(response, field)
            if response.HasField("options"):
                options = response.options
        return values, options

    async def apply(self, request: resource_pb2.RegisterResourceRequest, tokens: list[str]
                    ) -> resource_pb2.RegisterResourceRequest:
        """Run the transforms; a copy of the request with the transformed properties and options."""
        props, options = await self._run(tokens, lambda values, opts: resource_pb2.TransformRequest(
            type=request.type, name=request.name, custom=request.custom, parent=request.parent, properties=values,
            options=opts), request.object, _options_of(request), "properties")
        transformed = resource_pb2.RegisterResourceRequest()
        transformed.CopyFrom(request)
        transformed.object.CopyFrom(props)
        _apply_options(transformed, options)
        return transformed

    async def apply_invoke(self, request: resource_pb2.ResourceInvokeRequest) -> resource_pb2.ResourceInvokeRequest:
        """Run the stack invoke transforms; a copy of the request with the transformed args and options."""
        args, options = await self._run(self.invoke_stack, lambda values, opts: resource_pb2.TransformInvokeRequest(
            token=request.tok, args=values, options=opts), request.args, resource_pb2.TransformInvokeOptions(
            provider=request.provider, version=request.version, plugin_download_url=request.pluginDownloadURL),
            "args")
        transformed = resource_pb2.ResourceInvokeRequest()
        transformed.CopyFrom(request)
        transformed.args.CopyFrom(args)
        transformed.provider, transformed.version = options.provider, options.version
        transformed.pluginDownloadURL = options.plugin_download_url
        return transformed


def _options_of(request: resource_pb2.RegisterResourceRequest) -> resource_pb2.TransformResourceOptions:
    """The options the engine hands a transform, from the registration request."""
    options = resource_pb2.TransformResourceOptions(
        depends_on=list(request.dependencies), protect=request.protect, ignore_changes=list(request.ignoreChanges),
        replace_on_changes=list(request.replaceOnChanges), version=request.version,
        aliases=[*request.aliases, *(alias_pb2.Alias(urn=urn) for urn in request.aliasURNs)],
        provider=request.provider, plugin_download_url=request.pluginDownloadURL,
        retain_on_delete=request.retainOnDelete, deleted_with=request.deletedWith,
        additional_secret_outputs=list(request.additionalSecretOutputs), providers=dict(request.providers),
        replace_with=list(request.replace_with))
    if request.HasField("customTimeouts"):
        options.custom_timeouts.CopyFrom(request.customTimeouts)
    if request.deleteBeforeReplaceDefined:
        options.delete_before_replace = request.deleteBeforeReplace
    if request.importId:
        setattr(options, "import", request.importId)
    return options


def _apply_options(request: resource_pb2.RegisterResourceRequest,
                   options: resource_pb2.TransformResourceOptions) -> None:
    """The transformed options back onto the request, as the engine unpacks them into the resource's goal."""
    request.dependencies[:] = list(options.depends_on)
    request.protect = options.protect if options.HasField("protect") else False
    request.ignoreChanges[:] = list(options.ignore_changes)
    request.replaceOnChanges[:] = list(options.replace_on_changes)
    request.version, request.provider = options.version, options.provider
    request.pluginDownloadURL = options.plugin_download_url
    request.retainOnDelete, request.deletedWith = options.retain_on_delete, options.deleted_with
    request.additionalSecretOutputs[:] = list(options.additional_secret_outputs)
    request.providers.clear()
    request.providers.update(dict(options.providers))
    del request.aliases[:]
    del request.aliasURNs[:]
    request.aliases.extend(options.aliases)
    request.customTimeouts.CopyFrom(options.custom_timeouts)
    request.deleteBeforeReplaceDefined = options.HasField("delete_before_replace")
    request.deleteBeforeReplace = options.delete_before_replace
    request.importId = getattr(options, "import")
    request.replace_with[:] = list(options.replace_with)
