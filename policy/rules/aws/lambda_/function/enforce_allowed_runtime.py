"""Lambda functions run on a current, supported runtime from the allowed list."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="LAMBDA-002", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="Lambda functions run on a current, supported runtime from the allowed list.",
    remediation="Set `runtime` to an allowed runtime (setting `allowedRuntimes`), e.g. python3.13.",
    default_level=EnforcementLevel.MANDATORY, wa_reference="SEC06-BP01",
    url="https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",
    settings={"allowedRuntimes": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                                  "default": ["python3.13", "python3.12"]}})


def check(props: Any, config: Mapping[str, Any]) -> Iterable[str]:
    if props.get("packageType") == "Image":
        return  # container images carry their own runtime
    runtime = props.get("runtime")
    if runtime not in config["allowedRuntimes"]:
        yield f"runtime {runtime!r} is not in the allowed list {list(config['allowedRuntimes'])}."


POLICY = resource_policy(__name__, META, ["aws:lambda/function:Function"], check)
