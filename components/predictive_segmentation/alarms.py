"""Alarms on what the run summary measures: the backtest degrading, features drifting, a refused model, and old
SageMaker Models left behind by a failed retention step."""
from __future__ import annotations

import pulumi
import pulumi_aws as aws

from ..config import PredictiveSegmentationSettings

NAMESPACE = "EngagementPredictiveSegmentation"  # POWERTOOLS_METRICS_NAMESPACE of the Lambdas


def create(name: str, settings: PredictiveSegmentationSettings, topic_arn: pulumi.Input[str],
           parent: pulumi.Resource) -> None:
    child = pulumi.ResourceOptions(parent=parent)
    actions = {"alarm_actions": [topic_arn], "ok_actions": [topic_arn]}
    day = 86400
    for suffix, metric, service, comparison, threshold, meaning in (
            ("backtest-lift", "BacktestLift", "predictive_segmentation_postprocess", "LessThanThreshold",
             settings.backtest_minimum_lift_percent / 100,
             "scores from one label window ago predicted real churn worse than the floor; retrain or review"),
            ("feature-drift", "MaxFeaturePsi", "predictive_segmentation_postprocess", "GreaterThanThreshold", 0.25,
             "a feature's distribution moved far from training (PSI > 0.25); the run summary names it"),
            ("promotion-refused", "PromotionRefused", "predictive_segmentation_promote", "GreaterThanThreshold", 0,
             "a retrained model fell below the quality gate; the previous model stays in service"),
            ("model-cleanup-failed", "ModelCleanupFailed", "predictive_segmentation_promote", "GreaterThanThreshold",
             0, "old SageMaker Models were not deleted after a promotion (the new one is active); see the promote "
                "function's log")):
        aws.cloudwatch.MetricAlarm(
            f"{name}-{suffix}", alarm_description=f"Predictive segmentation: {meaning}.", namespace=NAMESPACE,
            metric_name=metric, dimensions={"service": service}, statistic="Minimum" if metric == "BacktestLift"
            else "Maximum", period=day, evaluation_periods=1, threshold=threshold, comparison_operator=comparison,
            treat_missing_data="notBreaching", opts=child, **actions)
