"""Lambda functions: one package per folder, each packaged automatically by components/packaging.py."""
