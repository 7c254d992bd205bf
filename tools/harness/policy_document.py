"""`aws.iam.get_policy_document` computed offline, as the AWS provider computes it (it is a pure function).

Follows terraform-provider-aws `data_source_iam_policy_document.go` / `policy_model.go`: a one-element list
becomes a string, longer lists are sorted in reverse, `Effect` defaults to `Allow`, principal `*`/`*` becomes
`"Principal": "*"`, source documents come first, then the `statements` (a statement replaces an earlier one with
the same `Sid`), then override documents; `json` is indented by two spaces, `minifiedJson` is compact, `id` is
the CRC-32 of `json`.
"""
from __future__ import annotations

import json
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

_STATEMENT_KEYS = ("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal",
                   "Condition")


def _string_list(values: Sequence[Any] | None) -> Any:
    items = [str(v) for v in values or []]
    if len(items) == 1:
        return items[0]
    return sorted(items, reverse=True)


def _principals(principals: Sequence[Mapping[str, Any]] | None) -> Any:
    merged: dict[str, list[str]] = {}
    for principal in principals or []:
        kind, identifiers = principal.get("type", ""), [str(i) for i in principal.get("identifiers") or []]
        if kind == "*" and identifiers == ["*"]:
            return "*"
        merged.setdefault(kind, []).extend(identifiers)
    return {kind: _string_list(ids) for kind, ids in sorted(merged.items())}


def _conditions(conditions: Sequence[Mapping[str, Any]] | None) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for condition in conditions or []:
        test = result.setdefault(str(condition.get("test", "")), {})
        test[str(condition.get("variable", ""))] = _string_list(condition.get("values"))
    return result


def _statement(args: Mapping[str, Any]) -> dict[str, Any]:
    statement: dict[str, Any] = {"Sid": args.get("sid") or None, "Effect": args.get("effect") or "Allow"}
    for key, arg in (("Action", "actions"), ("NotAction", "notActions"), ("Resource", "resources"),
                     ("NotResource", "notResources")):
        if args.get(arg):
            statement[key] = _string_list(args[arg])
    for key, arg in (("Principal", "principals"), ("NotPrincipal", "notPrincipals")):
        if args.get(arg):
            statement[key] = _principals(args[arg])
    if args.get("conditions"):
        statement["Condition"] = _conditions(args["conditions"])
    return {k: statement[k] for k in _STATEMENT_KEYS if statement.get(k) is not None}


def _merge(statements: list[dict[str, Any]], incoming: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for statement in incoming:
        sid = statement.get("Sid")
        index = next((i for i, s in enumerate(statements) if sid and s.get("Sid") == sid), None)
        if index is None:
            statements.append(statement)
        else:
            statements[index] = statement
    return statements


def _documents(texts: Sequence[str] | None) -> list[dict[str, Any]]:
    documents = []
    for text in texts or []:
        document = json.loads(text)
        statements = document.get("Statement", [])
        documents.append({**document, "Statement": [statements] if isinstance(statements, dict) else statements})
    return documents


def _go_json(value: Any, indent: int | None) -> str:
    """encoding/json escapes <, > and & in strings; so does the provider's output."""
    separators = None if indent else (",", ":")
    text = json.dumps(value, indent=indent, separators=separators, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def policy_document(args: Mapping[str, Any]) -> dict[str, Any]:
    """Wire (camelCase) arguments of `aws:iam/getPolicyDocument:getPolicyDocument` -> its result."""
    statements: list[dict[str, Any]] = []
    version = args.get("version")
    policy_id = args.get("policyId")
    for document in _documents(args.get("sourcePolicyDocuments")):
        version = version or document.get("Version")
        _merge(statements, document["Statement"])
    _merge(statements, [_statement(s) for s in args.get("statements") or []])
    for document in _documents(args.get("overridePolicyDocuments")):
        _merge(statements, document["Statement"])
    document: dict[str, Any] = {"Version": version or "2012-10-17"}
    if policy_id:
        document["Id"] = policy_id
    document["Statement"] = statements
    pretty = _go_json(document, 2)
    checksum = zlib.crc32(pretty.encode())
    return {**dict(args), "json": pretty, "minifiedJson": _go_json(document, None), "id": str(checksum),
            "version": document["Version"]}
