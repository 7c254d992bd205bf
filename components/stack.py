"""Build the whole stack from its validated config: shared foundation + one component per enabled solution."""
from __future__ import annotations

import pulumi

from .config import ConfigError, StackConfig
from .foundation import Foundation, FoundationArgs
from .tagging import register_default_tags, stack_tags


def build_stack(config: StackConfig) -> None:
    env = config.env
    for key, section in (("predictiveSegmentationEnabled", config.predictive_segmentation),
                         ("predictiveEngagementEnabled", config.predictive_engagement)):
        if section.enabled:
            raise ConfigError(f"config key 'engagement:{key}' is true, but this release does not ship that "
                              f"solution yet. Fix: `pulumi config set engagement:{key} false`")
    register_default_tags(stack_tags(env.environment, pulumi.get_project(), env.owner, env.tags))
    foundation = Foundation("shared", FoundationArgs(
        log_retention_days=env.log_retention_days, protect=env.protect_stateful_resources,
        alarm_email=str(env.alarm_email) if env.alarm_email else None))
    pulumi.export("kmsKeyArn", foundation.key.arn)
    pulumi.export("accessLogBucket", foundation.access_logs.name)
    pulumi.export("alarmTopicArn", foundation.alarm_topic.arn)
