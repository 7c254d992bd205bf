"""The evaluation report: evaluation.json for machines, report.html with pictures for people.

The pictures are drawn as SVG by hand (a polyline per curve, a bar per decile) rather than with a plotting
library: the managed SageMaker XGBoost container has no plotting package and, with network isolation, cannot
install one; SVG needs nothing and stays sharp in any browser.
"""
from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

W, H, PAD = 360, 260, 40


def _frame(title: str, x_label: str, y_label: str, body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
            f'role="img" aria-label="{html.escape(title)}">'
            f'<rect width="{W}" height="{H}" fill="white"/>'
            f'<text x="{W / 2}" y="18" text-anchor="middle" font-size="14" font-family="sans-serif">{html.escape(title)}</text>'
            f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - 10}" y2="{H - PAD}" stroke="black"/>'
            f'<line x1="{PAD}" y1="{H - PAD}" x2="{PAD}" y2="30" stroke="black"/>'
            f'<text x="{W / 2}" y="{H - 8}" text-anchor="middle" font-size="11" font-family="sans-serif">{x_label}</text>'
            f'<text x="12" y="{H / 2}" transform="rotate(-90 12 {H / 2})" text-anchor="middle" font-size="11" '
            f'font-family="sans-serif">{y_label}</text>{body}</svg>')


def _xy(x: float, y: float, y_max: float = 1.0) -> tuple[float, float]:
    return PAD + x * (W - PAD - 10), (H - PAD) - (y / y_max if y_max else 0) * (H - PAD - 30)


def line_chart(title: str, x_label: str, y_label: str, points: Sequence[Sequence[float]],
               diagonal: bool = False) -> str:
    path = " ".join(f"{a:.1f},{b:.1f}" for a, b in (_xy(x, y) for x, y in points))
    body = f'<polyline fill="none" stroke="#1f77b4" stroke-width="2" points="{path}"/>'
    if diagonal:
        (x0, y0), (x1, y1) = _xy(0, 0), _xy(1, 1)
        body += f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}" stroke="#999" stroke-dasharray="4"/>'
    return _frame(title, x_label, y_label, body)


def bar_chart(title: str, x_label: str, y_label: str, labels: Sequence[str], values: Sequence[float]) -> str:
    top = max(list(values) + [1e-9])
    width = (W - PAD - 10) / max(len(values), 1)
    bars = ""
    for i, (label, value) in enumerate(zip(labels, values)):
        x, y = PAD + i * width + 2, _xy(0, value, top)[1]
        bars += (f'<rect x="{x:.1f}" y="{y:.1f}" width="{width - 4:.1f}" height="{H - PAD - y:.1f}" fill="#1f77b4"/>'
                 f'<text x="{x + width / 2 - 2:.1f}" y="{H - PAD + 12}" font-size="9" text-anchor="middle" '
                 f'font-family="sans-serif">{html.escape(label)}</text>')
    return _frame(title, x_label, y_label, bars)


def pictures(evaluation: Mapping[str, Any]) -> dict[str, str]:
    lift = evaluation["lift"]
    top = evaluation["top_features"][:10]
    return {
        "roc.svg": line_chart(f"ROC (AUC {evaluation['roc_auc']:.3f})", "false positive rate", "true positive rate",
                              evaluation["curves"]["roc"], diagonal=True),
        "pr.svg": line_chart(f"Precision-recall (AUC {evaluation['pr_auc']:.3f})", "recall", "precision",
                             evaluation["curves"]["pr"]),
        "lift.svg": bar_chart("Lift by score decile", "decile (highest scores first)", "lift",
                              [str(d["decile"]) for d in lift], [d["lift"] for d in lift]),
        "calibration.svg": line_chart("Calibration", "predicted churn probability", "observed churn rate",
                                      [[c["predicted"], c["observed"]] for c in evaluation["calibration"]],
                                      diagonal=True),
        "top_features.svg": bar_chart("Top features (mean |contribution|)", "feature rank", "importance",
                                      [str(i + 1) for i in range(len(top))], [t["importance"] for t in top]),
    }


def write(evaluation: Mapping[str, Any], gate: Mapping[str, Any], out: Path) -> list[Path]:
    """evaluation.json, gate.json, the SVG pictures and report.html into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "evaluation.json", out / "gate.json"]
    (out / "evaluation.json").write_text(json.dumps(evaluation, indent=1, sort_keys=True))
    (out / "gate.json").write_text(json.dumps(gate, indent=1, sort_keys=True))
    images = pictures(evaluation)
    for name, svg in images.items():
        (out / name).write_text(svg)
        written.append(out / name)
    rows = "".join(f"<tr><td>{d['decile']}</td><td>{d['customers']}</td><td>{d['positives']}</td>"
                   f"<td>{d['rate']:.3f}</td><td>{d['lift']:.2f}</td></tr>" for d in evaluation["lift"])
    features = "".join(f"<li>{i + 1}. {html.escape(t['feature'])} ({t['importance']:.4f})</li>"
                       for i, t in enumerate(evaluation["top_features"][:10]))
    verdict = "PROMOTED" if gate["passed"] else "REFUSED: " + "; ".join(gate["reasons"])
    t, k = evaluation["at_threshold"], evaluation["at_top_k"]
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Churn model {html.escape(evaluation['model_version'])}</title></head>
<body style="font-family:sans-serif;max-width:1100px;margin:auto">
<h1>Churn model {html.escape(evaluation['model_version'])}</h1>
<p><strong>Quality gate: {html.escape(verdict)}</strong></p>
<p>Hold-out: {evaluation['holdout']['customers']} customers, {evaluation['holdout']['positives']} churned
(base rate {evaluation['holdout']['base_rate']:.4f}). ROC-AUC {evaluation['roc_auc']:.3f}, PR-AUC {evaluation['pr_auc']:.3f}.</p>
<p>At the threshold {t['threshold']:.4f} (chosen on validation data: {html.escape(evaluation['threshold_strategy'])}):
precision {t['precision']:.3f}, recall {t['recall']:.3f}, {t['flagged']} flagged.
Top {k['fraction']:.0%} ({k['k']} customers): precision {k['precision']:.3f}, recall {k['recall']:.3f}.</p>
{''.join(f'<img src="{name}" alt="{name}">' for name in images)}
<h2>Lift by decile</h2><table border="1" cellpadding="4"><tr><th>decile</th><th>customers</th><th>churned</th>
<th>rate</th><th>lift</th></tr>{rows}</table>
<h2>Top features</h2><ol style="list-style:none">{features}</ol></body></html>"""
    (out / "report.html").write_text(page)
    written.append(out / "report.html")
    return written
