"""The CrossGuard pack: only builds the PolicyPack (constructing it starts the analyzer server and blocks)."""
from pulumi_policy import PolicyPack

from rules import ALL_POLICIES, PACK_DEFAULT_LEVEL, initial_config

PolicyPack(
    name="engagement-well-architected",
    description="Well-Architected and security rules for the customer-engagement program (and any AWS program).",
    policies=ALL_POLICIES,
    enforcement_level=PACK_DEFAULT_LEVEL,
    initial_config=initial_config(),
)
