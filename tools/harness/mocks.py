"""Pulumi mocks that answer like AWS would: physical names, ARNs and the outputs programs read.

A mock that omits an output a program reads silently drops the dependent input (or, in preview, makes it
unknown), so outputs here are realistic and deterministic: the same program gives the same plan twice.
"""
from __future__ import annotations

import hashlib
from typing import Any

import pulumi

ACCOUNT_ID = "123456789012"
PARTITION = "aws"

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


class PlanMocks(pulumi.runtime.Mocks):
    """Outputs = inputs + what AWS computes (ids, physical names, ARNs, endpoints), as an update sees them.

    With `first_preview`, only the inputs come back: on a stack's first `pulumi preview` nothing exists yet, so
    every output AWS computes stays unknown and inputs built from it carry Pulumi's unknown sentinel.
    """

    def __init__(self, region: str = "us-east-1", first_preview: bool = False) -> None:
        self.region = region
        self.first_preview = first_preview

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if not args.custom:  # components have no physical identity
            return None, dict(args.inputs)
        state = dict(args.inputs)
        template, name_prop = _ARNS.get(args.typ, ("", "name"))
        physical = state.get(name_prop) if name_prop else None
        if name_prop and not physical:
            prefix = state.get(f"{name_prop}Prefix") or f"{args.name}-"
            physical = f"{prefix}{_suffix(args.typ + args.name)}"
            state[name_prop] = physical
        resource_id = physical or _suffix("id" + args.typ + args.name) + "-" + _suffix(args.name)
        fields = {"region": state.get("region", self.region), "account": ACCOUNT_ID, "name": physical or args.name,
                  "id": resource_id, "database": state.get("databaseName", "")}
        if not template:
            kind = args.typ.split(":")[-1]
            kind = kind[0].lower() + kind[1:]
            template = f"arn:aws:{_service(args.typ)}:{{region}}:{{account}}:{kind}/{{name}}"
        state.setdefault("arn", template.format(**fields))
        state.update(self._extra_outputs(args.typ, state, fields))
        state.setdefault("id", resource_id)
        state.setdefault("tagsAll", state.get("tags", {}))
        return resource_id, dict(args.inputs) if self.first_preview else state

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
        if typ.startswith("aws-native:"):
            return self._aws_native_outputs(typ, state, f)
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

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": ACCOUNT_ID, "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/plan", "userId": "AIDAPLAN",
                    "id": ACCOUNT_ID}
        if args.token == "aws:index/getRegion:getRegion":
            return {"name": self.region, "region": self.region, "id": self.region,
                    "endpoint": f"ec2.{self.region}.amazonaws.com", "description": self.region}
        if args.token == "aws:index/getPartition:getPartition":
            return {"partition": PARTITION, "dnsSuffix": "amazonaws.com", "id": PARTITION,
                    "reverseDnsPrefix": "com.amazonaws"}
        return {}
