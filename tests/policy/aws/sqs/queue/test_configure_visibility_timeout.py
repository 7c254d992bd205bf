"""aws-sqs-queue-configure-visibility-timeout: a queue read by Lambda outlasts six function timeouts."""
import pytest

POLICY = "aws-sqs-queue-configure-visibility-timeout"
QUEUE, FN = "aws:sqs/queue:Queue", "aws:lambda/function:Function"
MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping"


def consumer(make, visibility, timeout=30.0, by_dependency=True):
    queue = make(QUEUE, {"visibilityTimeoutSeconds": visibility} if visibility else {}, name="work")
    function = make(FN, {"timeout": timeout}, name="worker")
    mapping = make(MAPPING, props={"eventSourceArn": queue.props["arn"], "functionName": "fn",
                                   "functionResponseTypes": ["ReportBatchItemFailures"]},
                   name="work-mapping", deps={"eventSourceArn": ["work"], "functionName": ["worker"]}
                   if by_dependency else {})
    return [queue, function, mapping]


@pytest.mark.parametrize("visibility", [180.0, 900.0])
def test_visibility_of_six_timeouts_is_compliant(run_rule, make, visibility):
    assert run_rule(POLICY, *consumer(make, visibility)) == []


@pytest.mark.parametrize("visibility", [None, 60.0, 179.0])
def test_shorter_visibility_is_violation(run_rule, make, violation, visibility):
    violation(run_rule(POLICY, *consumer(make, visibility)), "expected at least 180 s")


def test_mapping_found_by_arn_and_function_name(run_rule, make, violation):
    violation(run_rule(POLICY, *consumer(make, 60.0, by_dependency=False)), "worker may run 30 s")


def test_queue_nobody_reads_has_no_requirement(run_rule, make):
    assert run_rule(POLICY, make(QUEUE, {"visibilityTimeoutSeconds": 5.0})) == []
