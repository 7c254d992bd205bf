"""tools.checkov_plan: a recording becomes the Terraform plan JSON shape checkov's terraform_plan runner reads."""
from tools import checkov_plan


def test_tokens_map_to_the_terraform_provider_names():
    assert checkov_plan.terraform_type("aws:iam/rolePolicy:RolePolicy") == "aws_iam_role_policy"
    assert checkov_plan.terraform_type("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream") == \
        "aws_kinesis_firehose_delivery_stream"
    assert checkov_plan.terraform_type("aws:pinpoint/smsvoicev2OptOutList:Smsvoicev2OptOutList") == \
        "aws_pinpointsmsvoicev2_opt_out_list"


def test_prod_recording_becomes_a_plan_with_blocks_as_lists_and_maps_as_maps(prod_recording):
    plan = checkov_plan.to_plan(prod_recording)
    resources = plan["planned_values"]["root_module"]["resources"]
    assert len(resources) == sum(r.custom and r.type.startswith("aws:") for r in prod_recording.registrations)
    table = next(r for r in resources if r["type"] == "aws_dynamodb_table")
    assert table["values"]["point_in_time_recovery"] == [{"enabled": True}]
    assert table["values"]["tags"]["environment"] == "prod"
    function = next(r for r in resources if r["type"] == "aws_lambda_function")
    assert isinstance(function["values"]["environment"][0]["variables"], dict)
