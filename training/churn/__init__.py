"""The churn model of predictive segmentation: data checks, training, the quality gate, batch inference.

`python -m training.churn.train` runs locally; the same modules, packed as the script-mode source directory,
run in SageMaker's managed XGBoost container (see components/predictive_segmentation/model.py for the pinned
version, which requirements-dev.txt pins locally as xgboost-cpu).
"""
