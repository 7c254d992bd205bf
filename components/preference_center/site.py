"""The static page: a private bucket (readable only by this stack's distribution) and its uploaded files."""
from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import pulumi_aws as aws

from ..foundation import Foundation
from ..kms import EncryptionKey, EncryptionKeyArgs
from ..secure_bucket import LifecycleRule, SecureBucket, SecureBucketArgs

CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".css": "text/css; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
                 ".png": "image/png", ".ico": "image/x-icon", ".webmanifest": "application/manifest+json",
                 ".txt": "text/plain; charset=utf-8"}
# File names carry no content hash, so assets are cached briefly; HTML is revalidated on every view so a
# deploy shows at once (the distribution's CachingOptimized policy honours these headers).
HTML_CACHE = "no-cache"
ASSET_CACHE = "public, max-age=300"


@dataclass(frozen=True)
class SiteFile:
    key: str
    path: Path
    content_type: str
    cache_control: str


def site_files(directory: Path) -> list[SiteFile]:
    """Every file under `directory` (sorted, hidden files skipped) with its key, type and caching."""
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        relative = path.relative_to(directory)
        if any(part.startswith(".") for part in relative.parts):
            continue
        content_type = CONTENT_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or \
            "application/octet-stream"
        found.append(SiteFile(relative.as_posix(), path, content_type,
                              HTML_CACHE if path.suffix.lower() == ".html" else ASSET_CACHE))
    return found


def create_page_key(name: str, protect: bool, parent: pulumi.Resource) -> EncryptionKey:
    # A key of its own: CloudFront must decrypt the page objects (OAC + SSE-KMS), and that grant belongs on a
    # key holding only public page files, never on the stack key that protects preferences and consent.
    return EncryptionKey(f"{name}-page", EncryptionKeyArgs(
        alias=f"{pulumi.get_project()}-{pulumi.get_stack()}-preference-page",
        description="Encrypts the preference page's static files; CloudFront decrypts them for viewers",
        service_principals=["cloudfront.amazonaws.com"], deletion_window_days=30 if protect else 7,
        protect=protect), opts=pulumi.ResourceOptions(parent=parent))


def create_page_bucket(name: str, key: EncryptionKey, foundation: Foundation, distribution_arn: pulumi.Output[str],
                       protect: bool, parent: pulumi.Resource) -> SecureBucket:
    # The statement names the bucket's own objects, which SecureBucket creates: resolved once it exists.
    objects_arn, resolve_objects_arn = pulumi.deferred_output()
    read_by_distribution: dict[str, Any] = {
        "Sid": "CloudFrontOriginAccessControl", "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject", "Resource": objects_arn,
        # Only this stack's distribution, not any CloudFront distribution (confused deputy).
        "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}}}
    bucket = SecureBucket(f"{name}-page", SecureBucketArgs(
        kms_key=key, access_log_bucket=foundation.access_logs.bucket, log_prefix=f"s3/{name}-page/",
        protect=protect, force_destroy=not protect, extra_policy_statements=[read_by_distribution],
        # Each deploy overwrites the files; old versions are kept briefly for a rollback, then expire.
        lifecycle_rules=[LifecycleRule("expire-old-page-versions", "", noncurrent_expiration_days=30)]),
        opts=pulumi.ResourceOptions(parent=parent))
    resolve_objects_arn(pulumi.Output.concat(bucket.arn, "/*"))
    return bucket


def upload(name: str, bucket: SecureBucket, files: Sequence[SiteFile], parent: pulumi.Resource) -> list:
    return [aws.s3.BucketObjectv2(
        f"{name}-page-{f.key.replace('/', '-')}", bucket=bucket.name, key=f.key, source=pulumi.FileAsset(str(f.path)),
        content_type=f.content_type, cache_control=f.cache_control,
        # Waiting for the whole bucket component means encryption and the policy are in place before upload.
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[bucket])) for f in files]
