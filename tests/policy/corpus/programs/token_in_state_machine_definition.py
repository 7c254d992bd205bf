"""EXPECTED: aws-resource-input-disallow-secret-values. CLASS: 6. A GitHub token pasted into an HTTP task's headers
inside the state machine definition JSON."""
import json

import baseline as b

kms = b.key()
b.state_machine("release", kms, definition=json.dumps({"StartAt": "Notify", "TimeoutSeconds": 600, "States": {"Notify": {
    "Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": True, "TimeoutSeconds": 30,
    "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3, "BackoffRate": 2}], "Parameters": {
        "ApiEndpoint": "https://api.github.com/repos/octo-org/app/dispatches", "Method": "POST",
        "Headers": {"Authorization": "token ghp_1234567890abcdefghijklmnopqrstuvwxyzAB"}}}}}))
