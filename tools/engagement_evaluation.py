"""Offline evaluation of recommendations against held-out interactions: the metrics Personalize reports.

precision@k: share of the k recommended items the user then interacted with; NDCG@k: the same, discounted by
rank and normalised by the best possible order; coverage: share of the catalogue recommended to anyone.
Users without held-out interactions are left out of precision and NDCG (nothing to hit).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Scores:
    precision: float
    ndcg: float
    coverage: float
    users: int


def evaluate(recommended: dict[str, list[str]], held_out: dict[str, set[str]], catalogue_size: int,
             k: int = 10) -> Scores:
    if catalogue_size <= 0:
        raise ValueError("catalogue_size must be positive")
    precision = ndcg = 0.0
    users = 0
    for user, relevant in held_out.items():
        top = recommended.get(user, [])[:k]
        if not relevant:
            continue
        users += 1
        hits = [1.0 if item in relevant else 0.0 for item in top]
        precision += sum(hits) / k
        dcg = sum(hit / math.log2(rank + 2) for rank, hit in enumerate(hits))
        ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(relevant), k)))
        ndcg += dcg / ideal
    shown = {item for items in recommended.values() for item in items[:k]}
    return Scores(precision / users if users else 0.0, ndcg / users if users else 0.0,
                  len(shown) / catalogue_size, users)


def plot(results: dict[str, Scores], path: Path) -> Path:
    """Grouped bars of the three metrics per model (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = ("precision", "ndcg", "coverage")
    labels = ("precision@10", "NDCG@10", "coverage")
    figure, axis = plt.subplots(figsize=(7, 3.6), dpi=100)
    width = 0.8 / len(results)
    for index, (name, scores) in enumerate(results.items()):
        values = [getattr(scores, m) for m in metrics]
        bars = axis.bar([x + index * width for x in range(len(metrics))], values, width, label=name)
        axis.bar_label(bars, fmt="%.3f", fontsize=8)
    axis.set_xticks([x + width * (len(results) - 1) / 2 for x in range(len(metrics))], labels)
    axis.set_title("Recommendations on the held-out week (higher is better)")
    axis.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path
