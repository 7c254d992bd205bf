"""Lambda functions choose their memory (and so their CPU share) deliberately, within a ceiling."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="LAMBDA-005", pillar=Pillar.PERFORMANCE_EFFICIENCY, severity=Severity.LOW,
    description="Lambda functions set `memorySize` explicitly between the configured minimum and maximum. "
                "Memory also sets the CPU share, so the 128 MB default is usually slow and a very large value "
                "is usually waste.",
    remediation="Set `memory_size` from a measurement (e.g. AWS Lambda Power Tuning) within the allowed range "
                "(settings `minimumMb`, `maximumMb`).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="PERF02-BP04",
    url="https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html",
    settings={"minimumMb": {"type": "integer", "minimum": 128, "default": 256},
              "maximumMb": {"type": "integer", "maximum": 10240, "default": 3008}})


def check(props, config):
    memory = props.get("memorySize")
    if memory is None:
        yield "`memorySize` is not set; the 128 MB default gives the function a small CPU share."
    elif not config["minimumMb"] <= memory <= config["maximumMb"]:
        yield (f"`memorySize` is {int(memory)} MB; expected between {config['minimumMb']} and "
               f"{config['maximumMb']} MB.")


POLICY = resource_policy(__name__, META, ["aws:lambda/function:Function"], check)
