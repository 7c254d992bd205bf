"""aws-glue-connection-enforce-ssl: JDBC connections read databases over SSL only."""
POLICY = "aws-glue-connection-enforce-ssl"
TYPE = "aws:glue/connection:Connection"
JDBC = {"name": "crm", "connectionType": "JDBC", "connectionProperties": {
    "JDBC_CONNECTION_URL": "jdbc:postgresql://crm.internal:5432/crm", "JDBC_ENFORCE_SSL": "true", "SECRET_ID": "crm-reader"}}


def test_ssl_connection_with_secret_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE, props=JDBC)) == []


def test_connection_without_ssl_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"connectionProperties.JDBC_ENFORCE_SSL": fx.DELETE}, props=JDBC)),
              "JDBC_ENFORCE_SSL")


def test_network_connection_is_out_of_scope(run_rule, make):
    assert run_rule(POLICY, make(TYPE, props={"name": "vpc", "connectionType": "NETWORK"})) == []
