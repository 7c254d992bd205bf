"""Classification quality for rare positives, in plain numpy (the SageMaker XGBoost container has no sklearn
guarantee, and these are a few lines each). PR-AUC is average precision, the area scikit-learn reports."""
from __future__ import annotations

from typing import Any

import numpy as np


def _sorted(y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(-p, kind="mergesort")
    return np.asarray(y, dtype=float)[order], np.asarray(p, dtype=float)[order]


def roc_auc(y: np.ndarray, p: np.ndarray) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    positives, negatives = y.sum(), len(y) - y.sum()
    if positives == 0 or negatives == 0:
        return float("nan")
    order = np.argsort(p, kind="mergesort")
    ranks = np.empty(len(p))
    sorted_p = p[order]
    # average ranks over ties
    _, first, counts = np.unique(sorted_p, return_index=True, return_counts=True)
    for start, count in zip(first, counts):
        ranks[order[start:start + count]] = start + (count + 1) / 2.0
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def pr_auc(y: np.ndarray, p: np.ndarray) -> float:
    """Average precision: the mean of precision at each positive, walking down the ranking (ties together)."""
    y_sorted, p_sorted = _sorted(y, p)
    positives = y_sorted.sum()
    if positives == 0:
        return float("nan")
    distinct = np.r_[np.diff(p_sorted) != 0, True]
    true_positives = np.cumsum(y_sorted)[distinct]
    predicted = (np.arange(1, len(y_sorted) + 1))[distinct]
    precision = true_positives / predicted
    recall = true_positives / positives
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def at_threshold(y: np.ndarray, p: np.ndarray, threshold: float) -> dict[str, float]:
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    flagged = p >= threshold
    hits = float((y[flagged] == 1).sum())
    return {"threshold": float(threshold), "flagged": int(flagged.sum()),
            "precision": hits / flagged.sum() if flagged.any() else 0.0,
            "recall": hits / y.sum() if y.sum() else 0.0}


def at_top_k(y: np.ndarray, p: np.ndarray, fraction: float) -> dict[str, float]:
    y_sorted, _ = _sorted(y, p)
    k = max(1, int(round(len(y_sorted) * fraction)))
    hits = float(y_sorted[:k].sum())
    return {"fraction": fraction, "k": k, "precision": hits / k,
            "recall": hits / y_sorted.sum() if y_sorted.sum() else 0.0}


def lift_table(y: np.ndarray, p: np.ndarray, bins: int = 10) -> list[dict[str, Any]]:
    """Deciles by score, highest first: customers, positives, rate and lift over the base rate."""
    y_sorted, p_sorted = _sorted(y, p)
    base = y_sorted.mean() if len(y_sorted) else 0.0
    table = []
    for index, (ys, ps) in enumerate(zip(np.array_split(y_sorted, bins), np.array_split(p_sorted, bins)), 1):
        if not len(ys):
            continue
        rate = float(ys.mean())
        table.append({"decile": index, "customers": int(len(ys)), "positives": int(ys.sum()), "rate": rate,
                      "lift": rate / base if base else 0.0, "min_score": float(ps.min())})
    return table


def calibration(y: np.ndarray, p: np.ndarray, bins: int = 10) -> list[dict[str, float]]:
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    index = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    return [{"predicted": float(p[index == b].mean()), "observed": float(y[index == b].mean()),
             "customers": int((index == b).sum())} for b in range(bins) if (index == b).any()]


def curves(y: np.ndarray, p: np.ndarray, points: int = 200) -> dict[str, list[list[float]]]:
    """ROC and PR curves, thinned to at most `points` points each, for the report's pictures."""
    y_sorted, p_sorted = _sorted(y, p)
    positives, negatives = y_sorted.sum(), len(y_sorted) - y_sorted.sum()
    tp, fp = np.cumsum(y_sorted), np.cumsum(1 - y_sorted)
    keep = np.unique(np.linspace(0, len(y_sorted) - 1, min(points, len(y_sorted))).astype(int))
    tpr = tp[keep] / positives if positives else tp[keep] * 0
    fpr = fp[keep] / negatives if negatives else fp[keep] * 0
    precision = tp[keep] / (keep + 1)
    return {"roc": [[0.0, 0.0]] + [[float(a), float(b)] for a, b in zip(fpr, tpr)],
            "pr": [[float(a), float(b)] for a, b in zip(tpr, precision)]}


def choose_threshold(y: np.ndarray, p: np.ndarray, strategy: str, target: float) -> float:
    """The score threshold from VALIDATION data: the lowest score whose precision reaches `target`
    (strategy 'precision'), or the score of the top `target` share of customers (strategy 'top_k')."""
    y_sorted, p_sorted = _sorted(y, p)
    if strategy == "top_k":
        k = max(1, int(round(len(p_sorted) * target)))
        return float(p_sorted[k - 1])
    if strategy != "precision":
        raise ValueError(f"unknown threshold strategy {strategy!r}")
    precision = np.cumsum(y_sorted) / np.arange(1, len(y_sorted) + 1)
    distinct = np.r_[np.diff(p_sorted) != 0, True]
    reaching = np.where(distinct & (precision >= target))[0]
    if not len(reaching):
        return float(p_sorted[0])  # nothing reaches the target: flag only the top score
    return float(p_sorted[reaching[-1]])
