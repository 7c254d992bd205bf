"""EXPECTED: aws-sfn-state-machine-disable-execution-data-logging. CLASS: 4. Logging is configured as required,
with include_execution_data: every customer record the workflow handles is copied into CloudWatch Logs."""
import baseline as b

kms = b.key()
b.state_machine("scoring", kms, include_execution_data=True)
