"""Lambda functions keep failed asynchronous events: a dead-letter queue or an on-failure destination."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_stack_policy

FUNCTION = "aws:lambda/function:Function"
INVOKE_CONFIG = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"
META = RuleMeta(
    id="LAMBDA-003", pillar=Pillar.RELIABILITY, severity=Severity.MEDIUM,
    description="Lambda functions keep an asynchronous event that still fails after its retries: a dead-letter "
                "queue (`deadLetterConfig.targetArn`) or an on-failure destination of the function's "
                "aws.lambda.FunctionEventInvokeConfig (`destinationConfig.onFailure.destination`), so it can be "
                "replayed instead of being dropped.",
    remediation="Set `dead_letter_config={'target_arn': queue.arn}` with an encrypted SQS queue and grant "
                "sqs:SendMessage to the role (components.PackagedFunction does this), or an invoke config with "
                "destination_config.on_failure.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL05-BP01",
    url="https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html")


def check(function, view, _config):
    if get_path(function.props, "deadLetterConfig.targetArn"):
        return
    names = {function.props.get("name"), function.props.get("arn")} - {None, ""}
    for config in view.of_type(INVOKE_CONFIG):
        for_function = any(d.urn == function.urn for d in config.property_dependencies.get("functionName", [])) \
            or config.props.get("functionName") in names
        if for_function and get_path(config.props, "destinationConfig.onFailure.destination"):
            return
    yield f"function {function.name} has neither a dead-letter queue nor an on-failure destination."


POLICY = resource_stack_policy(__name__, META, [FUNCTION], check)
