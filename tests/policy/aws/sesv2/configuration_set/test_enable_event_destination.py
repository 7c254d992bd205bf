"""aws-sesv2-configuration-set-enable-event-destination: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-sesv2-configuration-set-enable-event-destination"
TYPE_SET = "aws:sesv2/configurationSet:ConfigurationSet"
TYPE_DESTINATION = "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination"


def test_configuration_set_with_destination_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE_SET, name="cs"), make(TYPE_DESTINATION, deps={"configurationSetName": ["cs"]})) == []


def test_configuration_set_without_destination_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE_SET, name="cs")),
              'configuration set cs has no enabled event destination')


def test_disabled_destination_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE_SET, name="cs"), make(TYPE_DESTINATION, {"eventDestination.enabled": False})),
              'has no enabled event destination')
