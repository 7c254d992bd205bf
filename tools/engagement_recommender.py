"""The local stand-in for Amazon Personalize: `implicit` ALS rankings, a popularity baseline, and the filter.

Personalize returns, per user, the best items its filter lets through: items the user already interacted with
are left out, and (category filter) items whose CATEGORY_L1 is one of the user's filter values. `top` applies
the same rule to a full ranking, with Personalize's exact matching of categorical values.
"""
from __future__ import annotations

from collections import Counter


def rank(train: list[tuple[str, str, float]], users: list[str],
         seed: int) -> tuple[dict[str, tuple[list[str], list[float]]], list[str], dict[str, set[str]]]:
    """Every user's ALS ranking of every item they have not interacted with, the popularity order, and what
    each user interacted with."""
    import numpy as np
    from implicit.als import AlternatingLeastSquares
    from scipy.sparse import csr_matrix

    user_index = {u: i for i, u in enumerate(users)}
    items = sorted({item for _, item, _ in train})
    item_index = {it: i for i, it in enumerate(items)}
    rows = [(user_index[u], item_index[it], w) for u, it, w in train if u in user_index]
    matrix = csr_matrix(([w for *_, w in rows], ([r for r, *_ in rows], [c for _, c, _ in rows])),
                        shape=(len(users), len(items)), dtype=np.float32)
    # 10 factors for the 10 tastes tools.engagement_sample plants; alpha weighs repeated/heavier interactions.
    model = AlternatingLeastSquares(factors=10, regularization=0.05, iterations=15, alpha=5.0,
                                    random_state=seed, num_threads=1)
    model.fit(matrix, show_progress=False)
    ids, scores = model.recommend(np.arange(len(users)), matrix, N=len(items), filter_already_liked_items=True)
    ranked = {u: ([items[j] for j in ids[i] if j >= 0], [float(s) for j, s in zip(ids[i], scores[i]) if j >= 0])
              for u, i in user_index.items()}
    seen: dict[str, set[str]] = {}
    for u, it, _ in train:
        seen.setdefault(u, set()).add(it)
    return ranked, [it for it, _ in Counter(it for _, it, _ in train).most_common()], seen


def top(items: list[str], scores: list[float], count: int, category_of: dict[str, str],
        excluded: frozenset[str] = frozenset()) -> tuple[list[str], list[float]]:
    """The first `count` ranked items whose category is not excluded (the filter's placeholder values)."""
    kept = [(item, score) for item, score in zip(items, scores) if category_of.get(item) not in excluded][:count]
    return [item for item, _ in kept], [score for _, score in kept]


def popularity(popular: list[str], seen: set[str], count: int, category_of: dict[str, str],
               excluded: frozenset[str] = frozenset()) -> list[str]:
    """The most popular items the user has not interacted with, through the same filter."""
    unseen = [item for item in popular if item not in seen]
    return top(unseen, [0.0] * len(unseen), count, category_of, excluded)[0]
