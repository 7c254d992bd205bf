"""Data contracts shared by the producers and consumers of this project (one module per contract).

Pure Python with no third-party imports: the Pulumi components import these modules, and Lambda functions
bundle the package through `functions/<name>/shared-packages.txt` (see components/packaging.py).
"""
