"""What the providers would answer, offline: autonamed physical names, ids, ARNs and the outputs programs read.

Two modes, as the CLI has two: `preview` answers like a stack's first `pulumi preview` (a resource to create has
no id yet and every output the provider computes is unknown; only the inputs and the autonamed name are known),
`update` fills outputs with plausible, deterministic values (as `pulumi up` would see them) for a deeper check.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import inspect
import typing
from typing import Any

from pulumi import _types
from pulumi.runtime import rpc

from .invokes import ACCOUNT_ID

PREVIEW, UPDATE = "preview", "update"

# type token -> (ARN template, name property). {region} {account} {name} {id} are filled in.
_ARNS: dict[str, tuple[str, str]] = {
    "aws:s3/bucket:Bucket": ("arn:aws:s3:::{name}", "bucket"),
    "aws:kms/key:Key": ("arn:aws:kms:{region}:{account}:key/{id}", ""),
    "aws:kms/alias:Alias": ("arn:aws:kms:{region}:{account}:{name}", "name"),
    "aws:iam/role:Role": ("arn:aws:iam::{account}:role/{name}", "name"),
    "aws:iam/policy:Policy": ("arn:aws:iam::{account}:policy/{name}", "name"),
    "aws:lambda/function:Function": ("arn:aws:lambda:{region}:{account}:function:{name}", "name"),
    "aws:lambda/layerVersion:LayerVersion": ("arn:aws:lambda:{region}:{account}:layer:{name}:1", "layerName"),
    "aws:cloudwatch/logGroup:LogGroup": ("arn:aws:logs:{region}:{account}:log-group:{name}", "name"),
    "aws:sqs/queue:Queue": ("arn:aws:sqs:{region}:{account}:{name}", "name"),
    "aws:sns/topic:Topic": ("arn:aws:sns:{region}:{account}:{name}", "name"),
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": (
        "arn:aws:firehose:{region}:{account}:deliverystream/{name}", "name"),
    "aws:dynamodb/table:Table": ("arn:aws:dynamodb:{region}:{account}:table/{name}", "name"),
    "aws:glue/catalogDatabase:CatalogDatabase": ("arn:aws:glue:{region}:{account}:database/{name}", "name"),
    "aws:glue/catalogTable:CatalogTable": ("arn:aws:glue:{region}:{account}:table/{database}/{name}", "name"),
    "aws:athena/workgroup:Workgroup": ("arn:aws:athena:{region}:{account}:workgroup/{name}", "name"),
    "aws:sesv2/configurationSet:ConfigurationSet": (
        "arn:aws:ses:{region}:{account}:configuration-set/{name}", "configurationSetName"),
    "aws:sesv2/contactList:ContactList": ("arn:aws:ses:{region}:{account}:contact-list/{name}", "contactListName"),
    "aws:secretsmanager/secret:Secret": ("arn:aws:secretsmanager:{region}:{account}:secret:{name}-Ab12Cd", "name"),
    "aws:cloudfront/distribution:Distribution": ("arn:aws:cloudfront::{account}:distribution/{id}", ""),
    "aws:wafv2/webAcl:WebAcl": ("arn:aws:wafv2:us-east-1:{account}:global/webacl/{name}/{id}", "name"),
    "aws:apigatewayv2/api:Api": ("arn:aws:apigateway:{region}::/apis/{id}", "name"),
    "aws:cloudwatch/eventRule:EventRule": ("arn:aws:events:{region}:{account}:rule/{name}", "name"),
    "aws:cloudwatch/eventBus:EventBus": ("arn:aws:events:{region}:{account}:event-bus/{name}", "name"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("arn:aws:cloudwatch:{region}:{account}:alarm:{name}", "name"),
    "aws:sfn/stateMachine:StateMachine": ("arn:aws:states:{region}:{account}:stateMachine:{name}", "name"),
    "aws:scheduler/schedule:Schedule": ("arn:aws:scheduler:{region}:{account}:schedule/default/{name}", "name"),
    "aws:pinpoint/smsvoicev2ConfigurationSet:Smsvoicev2ConfigurationSet": (
        "arn:aws:sms-voice:{region}:{account}:configuration-set/{name}", "name"),
    "aws:pinpoint/smsvoicev2OptOutList:Smsvoicev2OptOutList": (
        "arn:aws:sms-voice:{region}:{account}:opt-out-list/{name}", "name"),
}


def _suffix(seed: str) -> str:
    return hashlib.sha1(seed.encode()).hexdigest()[:7]


def _service(token: str) -> str:
    module = token.split(":")[1].split("/")[0]
    return module.replace("_", "").lower()



@functools.cache
def resource_class(type_token: str) -> type | None:
    """The SDK class of a resource type, from the resource modules provider SDKs register (None if unknown)."""
    import importlib

    parts = type_token.split(":")
    module = rpc.get_resource_module(parts[0], parts[1], "") if len(parts) == 3 else None
    info = getattr(module, "mod_info", None) or {}
    class_name = info.get("classes", {}).get(type_token)
    return getattr(importlib.import_module(info["fqn"]), class_name, None) if class_name else None


@functools.cache
def _properties(cls: type) -> tuple[frozenset[str], dict[str, tuple[Any, bool]]]:
    """(camelCase input names, {camelCase output name: (type, optional?)}) of a generated resource class."""
    py_to_wire = _types.resource_py_to_pulumi_names(cls)
    init = getattr(cls, "_internal_init", None)
    inputs = frozenset(py_to_wire.get(p, p) for p in (inspect.signature(init).parameters if init else ()))
    outputs = {}
    for wire, hint in _types._raw_return_hints(cls).items():  # resolved hints, string annotations included
        inner = typing.get_args(hint)[0] if typing.get_args(hint) else hint
        outputs[wire] = (_types.unwrap_optional_type(inner) if inner else None, type(None) in typing.get_args(inner))
    return inputs, outputs


def _plausible(prop: str, typ: Any, seed: str) -> Any:
    origin = typing.get_origin(typ)
    if typ is str:
        return f"{prop}-{_suffix(seed + prop)}"
    if typ is bool:
        return False
    if typ in (int, float):
        return 0
    if origin in (list, tuple) or str(origin).endswith("Sequence'>"):
        return []
    if origin is dict or str(origin).endswith("Mapping'>"):
        return {}
    return None  # a nested object: left unset rather than invented


class PlanMocks:
    """Answers the monitor: `check` (what the provider adds to the inputs: the autonamed name) and `create`
    (id and outputs). Deterministic: ids and names are hashes of type and logical name, so two plans agree."""

    def __init__(self, region: str = "us-east-1", mode: str = UPDATE) -> None:
        self.region = region
        self.mode = mode

    def check(self, typ: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        """Inputs as the provider's Check returns them: the physical name is autonamed (`<name>-<7 hex>`)."""
        cls = resource_class(typ)
        name_prop = _ARNS.get(typ, ("", "name"))[1]
        if not cls or not name_prop or inputs.get(name_prop) is not None:
            return inputs
        declared, _ = _properties(cls)
        if name_prop not in declared:
            return inputs
        prefix = inputs.get(f"{name_prop}Prefix") or f"{name}-"
        return {**inputs, name_prop: f"{prefix}{_suffix(typ + name)}"}

    def create(self, typ: str, name: str, inputs: dict[str, Any], custom: bool) -> tuple[str | None, dict[str, Any]]:
        """(id, state) for a registration: in preview only the checked inputs, no id; in update everything."""
        if not custom or typ.startswith("pulumi:providers:"):
            return (None if not custom else f"{name}-provider-id"), dict(inputs)
        if typ == "pulumi-python:dynamic:Resource":
            return self._dynamic(name, inputs)
        if self.mode == PREVIEW:
            return None, dict(inputs)
        state = dict(inputs)
        template, name_prop = _ARNS.get(typ, ("", "name"))
        physical = state.get(name_prop) if name_prop else None
        resource_id = physical if isinstance(physical, str) else f"{_suffix('id' + typ + name)}-{_suffix(name)}"
        fields = {"region": state.get("region") or self.region, "account": ACCOUNT_ID,
                  "name": physical if isinstance(physical, str) else name, "id": resource_id,
                  "database": state.get("databaseName", "")}
        if typ.startswith("aws:"):
            if not template:
                kind = typ.split(":")[-1]
                template = f"arn:aws:{_service(typ)}:{{region}}:{{account}}:{kind[0].lower() + kind[1:]}/{{name}}"
            state.setdefault("arn", template.format(**fields))
            state.update(self._extra_outputs(typ, state, fields))
            state.setdefault("tagsAll", state.get("tags") or {})
        elif typ.startswith("aws-native:"):
            for prop, value in self._aws_native_outputs(typ, state, fields).items():
                state.setdefault(prop, value)
        cls = resource_class(typ)
        if cls:
            for prop, (prop_type, optional) in _properties(cls)[1].items():
                if prop not in state and not optional and prop != "id":
                    value = _plausible(prop, prop_type, typ + name)
                    if value is not None:
                        state[prop] = value
        return resource_id, state

    def _dynamic(self, name: str, inputs: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
        """A dynamic provider's resource: in update its own `create` runs (as the engine would run it)."""
        serialized = rpc.unwrap_rpc_secret(inputs.get("__provider"))  # the SDK marks it secret
        if self.mode == PREVIEW or not isinstance(serialized, str):
            return None, dict(inputs)
        import dill

        provider = dill.loads(base64.b64decode(serialized))
        props = {k: v for k, v in inputs.items() if k != "__provider"}
        result = provider.create(props)
        return result.id, {**props, **(result.outs or {}), "__provider": inputs["__provider"]}

    def _extra_outputs(self, typ: str, state: dict[str, Any], f: dict[str, str]) -> dict[str, Any]:
        region, account, name, rid = f["region"], f["account"], f["name"], f["id"]
        if typ == "aws:s3/bucket:Bucket":
            return {"bucketDomainName": f"{name}.s3.amazonaws.com",
                    "bucketRegionalDomainName": f"{name}.s3.{region}.amazonaws.com"}
        if typ == "aws:kms/key:Key":
            return {"keyId": rid}
        if typ == "aws:lambda/function:Function":
            arn = state["arn"]
            return {"invokeArn": f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations",
                    "qualifiedArn": f"{arn}:$LATEST", "version": "$LATEST"}
        if typ == "aws:sqs/queue:Queue":
            return {"url": f"https://sqs.{region}.amazonaws.com/{account}/{name}"}
        if typ == "aws:dynamodb/table:Table" and state.get("streamEnabled"):
            return {"streamArn": f"{state['arn']}/stream/2026-11-25T00:00:00.000", "streamLabel": "2026-11-25"}
        if typ == "aws:cloudfront/distribution:Distribution":
            return {"domainName": f"d{_suffix(rid)}abcdef.cloudfront.net", "hostedZoneId": "Z2FDTNDATAQYW2"}
        if typ == "aws:apigatewayv2/api:Api":
            return {"apiEndpoint": f"https://{rid}.execute-api.{region}.amazonaws.com",
                    "executionArn": f"arn:aws:execute-api:{region}:{account}:{rid}"}
        if typ == "aws:apigatewayv2/domainName:DomainName":
            configuration = dict(state.get("domainNameConfiguration") or {})
            configuration.setdefault("targetDomainName", f"d-{_suffix(rid)}.execute-api.{region}.amazonaws.com")
            configuration.setdefault("hostedZoneId", "Z1UJRXOUMOOFQ8")
            return {"domainNameConfiguration": configuration, "apiMappingSelectionExpression": "$request.basepath"}
        if typ == "aws:apigatewayv2/stage:Stage":
            return {"invokeUrl": f"https://api.execute-api.{region}.amazonaws.com/{state.get('name', '')}"}
        if typ == "aws:iam/role:Role":
            return {"uniqueId": "AROA" + _suffix(name).upper()}
        if typ == "aws:secretsmanager/secret:Secret":
            return {"name": name}
        if typ == "aws:sesv2/configurationSet:ConfigurationSet":
            return {"configurationSetName": name}
        if typ == "aws:wafv2/webAcl:WebAcl":
            return {"capacity": 50}
        return {}

    @staticmethod
    def _aws_native_outputs(typ: str, state: dict[str, Any], f: dict[str, str]) -> dict[str, Any]:
        """aws-native names a resource's ARN `<resource>Arn` (e.g. datasetGroupArn), in kebab-case in the ARN."""
        service, kind = typ.split(":")[1], typ.split(":")[2]
        camel = kind[0].lower() + kind[1:]
        kebab = "".join(f"-{c.lower()}" if c.isupper() else c for c in camel)
        outputs: dict[str, Any] = {f"{camel}Arn": f"arn:aws:{service}:{f['region']}:{f['account']}:{kebab}/{f['name']}"}
        if typ == "aws-native:personalize:EventTracker":
            outputs["trackingId"] = f"{_suffix(f['name'])}-tracking-{_suffix('t' + f['name'])}"
        return outputs

