"""PredictiveEngagement in the real program under mocks (dev and prod stack files, plus overrides)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from components.config import load_stack_config
from components.predictive_engagement import customer_profiles
from components.predictive_engagement.interactions import render_select
from contracts import personalize as contract

DG, SOLUTION = "aws-native:personalize:DatasetGroup", "aws-native:personalize:Solution"


def engagement(recording):
    component = recording.by_name("engagement", custom=False)
    return component, recording.descendants(component.urn)


def statements(recording, name: str) -> list[dict]:
    return json.loads(recording.by_name(name).inputs["policy"])["Statement"]


def test_personalize_resources_are_created_encrypted_and_tagged(dev_recording):
    _, children = engagement(dev_recording)
    types = {r.type for r in children}
    assert {DG, "aws-native:personalize:Schema", "aws-native:personalize:Dataset",
            "aws-native:personalize:EventTracker", "aws-native:personalize:Filter"} <= types
    group = dev_recording.by_name("engagement-dataset-group")
    assert group.inputs["kmsKeyArn"] == dev_recording.by_name("shared-data-key").state["arn"]
    assert group.inputs["roleArn"] == dev_recording.by_name("engagement-personalize-service-role").state["arn"]
    assert dev_recording.by_name("engagement-personalize-service-policy").urn in group.dependencies
    assert {"key": "solution", "value": "predictive-engagement"} in group.inputs["tags"]
    assert dev_recording.by_name("engagement-interactions-schema").inputs["schema"] == contract.interactions_schema()
    assert dev_recording.by_name("engagement-exclude-filter").inputs["filterExpression"] == \
        'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")'


def test_no_solution_resource_so_no_automatic_weekly_training(dev_recording, prod_recording):
    # aws-native's Solution cannot turn automatic training off; the workflow creates the solution instead.
    assert dev_recording.by_type(SOLUTION) == [] and prod_recording.by_type(SOLUTION) == []


def test_personalize_role_reaches_only_the_run_prefix_and_the_stack_key(dev_recording):
    trust = json.loads(dev_recording.by_name("engagement-personalize-service-role").inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "personalize.amazonaws.com"}
    assert "aws:SourceAccount" in json.dumps(trust)
    bucket = dev_recording.by_name("engagement-data").state["arn"]
    for statement in statements(dev_recording, "engagement-personalize-service-policy"):
        assert all(r in (bucket, f"{bucket}/predictive-engagement/runs/*", f"{bucket}/{contract.CATALOGUE_PREFIX}*",
                         dev_recording.by_name("shared-data-key").state["arn"]) for r in statement["Resource"])


def test_only_put_events_and_xray_need_a_wildcard_resource(dev_recording):
    _, children = engagement(dev_recording)
    wildcard = set()
    for policy in (r for r in children if r.type == "aws:iam/rolePolicy:RolePolicy"):
        for statement in json.loads(policy.inputs["policy"])["Statement"]:
            if "*" in statement["Resource"]:
                wildcard.update(statement["Action"])
    from components.workflow import LOG_DELIVERY_ACTIONS, XRAY_ACTIONS

    # PutEvents authorises on the tracking id; ListSolutionVersions, X-Ray and Step Functions log delivery have no
    # resource type in the IAM catalogue.
    assert "personalize:PutEvents" in wildcard
    assert wildcard <= {"personalize:PutEvents", "personalize:ListSolutionVersions", *XRAY_ACTIONS,
                        *LOG_DELIVERY_ACTIONS}


def test_pass_role_only_to_personalize(dev_recording):
    passes = [s for s in statements(dev_recording, "engagement-personalize-policy") if "iam:PassRole" in s["Action"]]
    assert passes == [{"Effect": "Allow", "Action": ["iam:PassRole"], "Sid": "PassPersonalizeRole",
                       "Resource": [dev_recording.by_name("engagement-personalize-service-role").state["arn"]],
                       "Condition": {"StringEquals": {"iam:PassedToService": "personalize.amazonaws.com"}}}]


def test_workflow_runs_the_rendered_sql_on_the_configured_schedule(prod_recording):
    export = prod_recording.by_name("engagement-export").inputs["environment"]["variables"]
    settings = load_stack_config({"engagement:predictiveEngagementLookbackDays": "365"}).predictive_engagement
    assert export["INTERACTIONS_SELECT"] == render_select(settings)
    schedule = prod_recording.by_name("engagement-workflow-daily").inputs
    assert schedule["scheduleExpression"] == "cron(30 2 * * ? *)"
    machine = prod_recording.by_name("engagement-workflow")
    definition = json.loads(machine.inputs["definition"])
    assert definition["StartAt"] == "Plan" and "NotEnoughInteractions" in definition["States"]
    assert machine.inputs["encryptionConfiguration"]["type"] == "CUSTOMER_MANAGED_KMS_KEY"


def test_realtime_queue_keeps_what_it_cannot_forward(dev_recording):
    queue = dev_recording.by_name("engagement-realtime").inputs
    redrive = json.loads(queue["redrivePolicy"])
    assert redrive == {"deadLetterTargetArn": dev_recording.by_name("engagement-realtime-dlq").state["arn"],
                       "maxReceiveCount": 5}
    assert queue["visibilityTimeoutSeconds"] == 6 * 60 + 5 and queue["kmsMasterKeyId"]
    mapping = dev_recording.by_name("engagement-realtime-mapping").inputs
    assert mapping["functionResponseTypes"] == ["ReportBatchItemFailures"] and mapping["batchSize"] == 100
    pattern = json.loads(dev_recording.by_name("engagement-realtime-events").inputs["eventPattern"])
    assert pattern == {"$or": [{"source": ["aws.ses"], "detail": {"eventType": ["Click"]}},
                               {"source": ["engagement.app"], "detail": {"event_type": ["product_viewed", "purchase"]}}]}
    alarms = {r.name for r in dev_recording.by_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
    assert {"engagement-realtime-dead-letters", "engagement-realtime-backlog",
            "engagement-workflow-executions-failed"} <= alarms


def test_prod_protects_the_datasets_and_writes_customer_profiles(prod_recording):
    assert prod_recording.by_name("engagement-dataset-group").protect
    assert prod_recording.by_name("engagement-interactions").protect
    object_type = prod_recording.by_name("engagement-profile-object-type").inputs
    assert object_type["domainName"] == "acme-customer-profiles"
    # The writer's object keys and the object type's fields are the same names.
    assert {f["name"] for f in object_type["fields"]} == set(customer_profiles.FIELDS) == \
        {"user_id", "recommended_items", "model_version", "generated_at"}
    writer = prod_recording.by_name("engagement-writer").inputs["environment"]["variables"]
    assert writer["CUSTOMER_PROFILES_DOMAIN"] == "acme-customer-profiles" and writer["PREFERENCES_TABLE"]


def test_one_profile_store_for_the_stack(prod_recording):
    assert len(prod_recording.by_type("engagement:shared:ProfileStore")) == 1  # shared with predictive segmentation
    assert prod_recording.by_name("profiles-table").protect


def test_campaign_is_optional_and_moves_with_each_promoted_model(record):
    version = "arn:aws:personalize:us-east-1:123456789012:solution/engagement-dev-aws-user-personalization-v2/abc"
    recording = record("dev", {"engagement:predictiveEngagementCampaignEnabled": "true",
                               "engagement:predictiveEngagementCampaignSolutionVersionArn": version})
    campaign = recording.by_name("engagement-campaign")
    assert campaign.inputs["solutionVersionArn"] == version and campaign.inputs["minProvisionedTps"] == 1
    env = recording.by_name("engagement-personalize").inputs["environment"]["variables"]
    assert env["CAMPAIGN_ARN"] == campaign.state["campaignArn"]


def test_realtime_off_deploys_no_tracker_and_no_queue(record):
    recording = record("dev", {"engagement:predictiveEngagementRealtimeEnabled": "false"})
    assert recording.by_type("aws-native:personalize:EventTracker") == []
    assert not any(r.name.startswith("engagement-realtime") for r in recording.registrations)


def test_stacks_without_the_solution_never_import_aws_native(repo_root):
    code = ("import sys; from tools.harness.recorder import record_stack; "
            "record_stack('dev', {'engagement:predictiveEngagementEnabled': 'false'}); "
            "print('pulumi_aws_native' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=repo_root, capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.parametrize(("overrides", "message"), [
    ({"engagement:predictiveEngagementItemIdSources": '["header:x"]'}, "is not `tag:<name>`"),
    ({"engagement:predictiveEngagementEventTypes": '["Click"]'}, "is not an event type"),
    ({"engagement:predictiveEngagementRecipe": "aws-trending-now"}, "predictiveEngagementRecipe"),
    ({"engagement:predictiveEngagementCampaignEnabled": "true"}, "CampaignSolutionVersionArn"),
])
def test_bad_settings_stop_before_any_resource(overrides, message):
    from components.config import ConfigError

    with pytest.raises(ConfigError, match=message):
        load_stack_config({"engagement:eventsDatabaseEnabled": "true",
                           "engagement:predictiveEngagementEnabled": "true", **overrides})


def test_campaign_route_is_iam_only_and_the_stack_still_passes_prod_policies(record, repo_root):
    from tools.harness.policy_runner import load_pack, load_policy_config, run_pack

    version = "arn:aws:personalize:us-east-1:123456789012:solution/engagement-prod-aws-user-personalization-v2/abc"
    recording = record("prod", {"engagement:predictiveEngagementCampaignEnabled": "true",
                                "engagement:predictiveEngagementCampaignSolutionVersionArn": version})
    route = recording.by_name("engagement-route-recommendations").inputs
    assert route["routeKey"] == "GET /recommendations/{user}" and route["authorizationType"] == "AWS_IAM"
    report = run_pack(load_pack(repo_root / "policy"), recording,
                      load_policy_config(repo_root / "policy" / "config" / "prod.json"))
    assert [(f.policy, f.resource_name) for f in report.mandatory] == []


def test_items_and_users_datasets_come_from_config(record, dev_recording):
    recording = record("dev", {"engagement:predictiveEngagementItemsDatasetEnabled": "true",
                               "engagement:predictiveEngagementUsersDatasetEnabled": "true"})
    items, users = recording.by_name("engagement-items").inputs, recording.by_name("engagement-users").inputs
    assert (items["datasetType"], users["datasetType"]) == ("Items", "Users")
    assert recording.by_name("engagement-items-schema").inputs["schema"] == contract.items_schema()
    env = recording.by_name("engagement-personalize").inputs["environment"]["variables"]
    assert env["ITEMS_DATASET_ARN"] == recording.by_name("engagement-items").state["datasetArn"]
    assert "engagement-items" not in {r.name for r in engagement(dev_recording)[1]}  # off by default



LONG_STACK = "staging-eu-west-1-payments"  # project-stack "engagement-staging-eu-west-1-payments": 37 characters


def _dev_values(repo_root) -> dict[str, str]:
    from tools.harness.project import load_project, stack_config

    return stack_config(load_project(repo_root), "dev").values


def _workflow_names(recording) -> tuple[str, str]:
    env = recording.by_name("engagement-personalize").inputs["environment"]["variables"]
    return env["NAME_PREFIX"], recording.by_name("engagement-dataset-group").inputs["name"]


def test_a_long_stack_name_gives_the_workflow_a_prefix_its_lambda_accepts(record, dev_recording, repo_root):
    # The workflow Lambda refuses a NAME_PREFIX over 31 characters (its jobs' names hold 63): before, a stack named
    # like this deployed a workflow whose every step failed its own settings check.
    from functions.predictive_engagement_personalize.settings import Settings

    long_prefix, long_group = _workflow_names(record(LONG_STACK, _dev_values(repo_root)))
    other_prefix, _ = _workflow_names(record(LONG_STACK + "-2", _dev_values(repo_root)))
    assert long_prefix.startswith("engagement-staging-eu-") and other_prefix != long_prefix
    Settings.model_validate({**{key: "arn:aws:x:us-east-1:123456789012:y" for key in (
        "DATASET_GROUP_ARN", "INTERACTIONS_DATASET_ARN", "PERSONALIZE_ROLE_ARN", "KMS_KEY_ARN")},
        "NAME_PREFIX": long_prefix, "RECIPE": "aws-user-personalization-v2", "WORK_BUCKET": "work"})
    assert long_group == "engagement-staging-eu-west-1-payments"  # resources keep their names: nothing replaced
    assert _workflow_names(dev_recording) == ("engagement-dev", "engagement-dev")  # short names unchanged


def test_the_workflow_role_reaches_only_its_own_prefixs_jobs(record, repo_root):
    recording = record(LONG_STACK, _dev_values(repo_root))
    prefix, _ = _workflow_names(recording)
    resources = [r for statement in statements(recording, "engagement-personalize-policy")
                 for r in statement["Resource"] if ":personalize:" in r and ("-job/" in r or ":solution/" in r)]
    assert resources and all(f"/{prefix}-" in r for r in resources)


def test_the_workflow_role_reaches_no_solution_of_a_stack_whose_name_extends_this_ones(dev_recording):
    import fnmatch

    resources = {r for statement in statements(dev_recording, "engagement-personalize-policy")
                 for r in statement["Resource"] if ":solution/" in r}
    own = "arn:aws:personalize:us-east-1:123456789012:solution/engagement-dev-aws-user-personalization-v2"
    other = "arn:aws:personalize:us-east-1:123456789012:solution/engagement-dev-eu-aws-user-personalization-v2"
    assert resources and any(fnmatch.fnmatchcase(own, r) for r in resources)
    assert not any(fnmatch.fnmatchcase(other, r) or fnmatch.fnmatchcase(other + "/abc", r) for r in resources)
