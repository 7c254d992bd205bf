"""Amazon Personalize. pulumi-aws has no Personalize, so these rules read pulumi-aws-native's types
(`aws-native:personalize:<Resource>`); the folder follows the service, like every other rule."""
