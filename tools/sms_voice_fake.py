"""An in-memory AWS End User Messaging SMS (pinpoint-sms-voice-v2) client: moto does not implement the service.

Invented, and kept honest by botocore: every request is validated against the service's own model (names,
types, required members) and every error is the client's own modelled exception class with AWS's error code,
so code that works here calls the real API the same way. Only the calls the preference center makes are
implemented. `opted_out` maps list -> number -> (timestamp, opted out by the end user?).
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ParamValidationError
from botocore.validate import ParamValidator


class SmsVoiceFake:
    def __init__(self, region: str = "us-east-1"):
        import boto3

        self._real = boto3.client("pinpoint-sms-voice-v2", region_name=region, aws_access_key_id="fake",
                                  aws_secret_access_key="fake")
        self.exceptions = self._real.exceptions
        self.opted_out: dict[str, dict[str, tuple[datetime, bool]]] = {}
        self.sent: list[dict[str, Any]] = []
        self.failures: dict[str, list[Exception]] = {}
        """operation name -> errors to raise on its next calls (fault injection)."""

    # --- helpers ----------------------------------------------------------------------------------------------
    def _check(self, operation: str, params: dict[str, Any]) -> None:
        model = self._real.meta.service_model.operation_model(operation)
        report = ParamValidator().validate(params, model.input_shape)
        if report.has_errors():
            raise ParamValidationError(report=report.generate_report())
        queued = self.failures.get(operation)
        if queued:
            raise queued.pop(0)

    def error(self, code: str, message: str = "", operation: str = "") -> Exception:
        exception = getattr(self.exceptions, code, None) or self.exceptions.ClientError
        return exception({"Error": {"Code": code, "Message": message}}, operation)

    def add_list(self, name: str) -> None:
        self.opted_out.setdefault(name, {})

    def _list(self, name: str, operation: str) -> dict[str, tuple[datetime, bool]]:
        if name not in self.opted_out:
            raise self.error("ResourceNotFoundException", f"opt-out list {name} not found", operation)
        return self.opted_out[name]

    # --- the API ----------------------------------------------------------------------------------------------
    def put_opted_out_number(self, **params: Any) -> dict[str, Any]:
        self._check("PutOptedOutNumber", params)
        numbers = self._list(params["OptOutListName"], "PutOptedOutNumber")
        at, by_user = numbers.get(params["OptedOutNumber"], (datetime.now(UTC), False))
        numbers[params["OptedOutNumber"]] = (at, by_user)
        return {"OptOutListName": params["OptOutListName"], "OptedOutNumber": params["OptedOutNumber"],
                "OptedOutTimestamp": at, "EndUserOptedOut": by_user}

    def end_user_stop(self, list_name: str, number: str, at: datetime | None = None) -> None:
        """What a STOP reply does: the carrier-level opt-out, recorded as made by the end user."""
        self.opted_out.setdefault(list_name, {})[number] = (at or datetime.now(UTC), True)

    def delete_opted_out_number(self, **params: Any) -> dict[str, Any]:
        self._check("DeleteOptedOutNumber", params)
        numbers = self._list(params["OptOutListName"], "DeleteOptedOutNumber")
        if params["OptedOutNumber"] not in numbers:
            raise self.error("ResourceNotFoundException", "number is not opted out", "DeleteOptedOutNumber")
        at, by_user = numbers.pop(params["OptedOutNumber"])
        return {"OptOutListName": params["OptOutListName"], "OptedOutNumber": params["OptedOutNumber"],
                "OptedOutTimestamp": at, "EndUserOptedOut": by_user}

    def describe_opted_out_numbers(self, **params: Any) -> dict[str, Any]:
        self._check("DescribeOptedOutNumbers", params)
        numbers = self._list(params["OptOutListName"], "DescribeOptedOutNumbers")
        wanted = params.get("OptedOutNumbers") or sorted(numbers)
        return {"OptOutListName": params["OptOutListName"], "OptedOutNumbers": [
            {"OptedOutNumber": n, "OptedOutTimestamp": numbers[n][0], "EndUserOptedOut": numbers[n][1]}
            for n in wanted if n in numbers]}

    def send_text_message(self, **params: Any) -> dict[str, Any]:
        self._check("SendTextMessage", params)
        self.sent.append(params)
        return {"MessageId": f"msg-{len(self.sent)}"}
