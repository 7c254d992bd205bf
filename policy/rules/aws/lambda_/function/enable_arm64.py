"""Lambda functions run on Graviton (arm64)."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="LAMBDA-004", pillar=Pillar.SUSTAINABILITY, severity=Severity.LOW,
    description="Lambda functions run on the arm64 (Graviton) architecture, which uses less energy and costs "
                "less per millisecond than x86_64 for the same work.",
    remediation="Set `architectures=['arm64']`; vendor native dependencies for manylinux aarch64 "
                "(components.PackagedFunction does both).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SUS05-BP02",
    url="https://docs.aws.amazon.com/lambda/latest/dg/foundation-arch.html")


def check(props, _config):
    # Absent means x86_64, the provider default.
    architectures = list(props.get("architectures") or ["x86_64"])
    if architectures != ["arm64"]:
        yield f"`architectures` is {architectures}; expected ['arm64']."


POLICY = resource_policy(__name__, META, ["aws:lambda/function:Function"], check)
