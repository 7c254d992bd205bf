"""EXPECTED: aws-sns-topic-subscription-enable-dead-letter-queue. CLASS: 5. The alert topic feeds a Lambda; when
delivery fails after SNS's retries, the notification is discarded."""
import pulumi_aws as aws

import baseline as b

kms = b.key()
alerts = b.topic("alerts", kms)
pager = b.function("pager", kms)
aws.sns.TopicSubscription("alerts-pager", topic=alerts.arn, protocol="lambda", endpoint=pager.arn)
aws.lambda_.Permission("pager-invoke", action="lambda:InvokeFunction", function=pager.name,
                       principal="sns.amazonaws.com", source_arn=alerts.arn)
