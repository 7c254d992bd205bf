"""Model training code that runs both locally and as SageMaker jobs (one program, not two)."""
