"""The learned needs model: a linear classifier read from data/needs_model.json (written by
scripts/train_needs.py), in plain Python.

Thirteen classes, the twelve service slugs and ``none``; a message's features
(``features.features``) add up their weights per class, and a softmax turns the sums into
probabilities. Start-up reads one JSON file; a message costs one dictionary look-up per
feature.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).resolve().parents[3] / "data" / "needs_model.json"
NONE_CLASS = "none"


class NeedModel:
    """Class probabilities for a message's features."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.classes: tuple[str, ...] = tuple(data["classes"])
        self._bias: tuple[float, ...] = tuple(float(b) for b in data["bias"])
        # the lists as read ([class index, weight] pairs): converting 30,000 of them would
        # cost more start-up time than it saves per message
        self._weights: dict[str, list[tuple[int, float]]] = data["weights"]

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> NeedModel:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def ranked(self, feats: Iterable[str]) -> list[tuple[str, float]]:
        """Every class with its probability, likeliest first."""
        scores = list(self._bias)
        weights = self._weights
        for name in feats:
            found = weights.get(name)
            if found is not None:
                for k, weight in found:  # k: a class index (an int in the JSON)
                    scores[k] += weight
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        ranked = [(c, e / total) for c, e in zip(self.classes, exps, strict=True)]
        ranked.sort(key=lambda pair: (-pair[1], pair[0]))
        return ranked
