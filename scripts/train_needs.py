"""Learn the needs model from the labelled corpus (data/needs_corpus*.jsonl) into needs_model.json.

    .venv/bin/python scripts/train_needs.py            # train and write the model
    .venv/bin/python scripts/train_needs.py --check    # fail if the written one differs

A multinomial logistic regression (scikit-learn, installed by the project's `data` extra) over
the features of bot.domain.needs.features: word stems and pairs, character 4-grams, the words
of the ask, negated words, and the needs the curated rules found. Thirteen classes: the twelve
service slugs and `none` (no business need). A line labelled with several acceptable needs
counts for its first one, and, lightly, for the second.

The model is shipped as plain numbers (bot.domain.needs.model reads it without scikit-learn):
per feature the weights of the classes it moves, rounded, those too small to matter dropped.
Training is deterministic (lbfgs, fixed order): the same corpus gives the same file, which
`--check` (and tests/test_needs_model.py) verify.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.catalog import load_need_matcher  # noqa: E402
from bot.domain.location import resolve_location  # noqa: E402
from bot.domain.needs.features import features  # noqa: E402
from bot.domain.needs.matcher import NeedMatcher, Reading  # noqa: E402
from bot.domain.needs.model import MODEL_PATH, NONE_CLASS, NeedModel  # noqa: E402
from bot.domain.needs.reader import NeedReader, place_names, reading_of  # noqa: E402
from bot.geo import load_gazetteer  # noqa: E402
from bot.language import ENGLISH, detect, english_needs  # noqa: E402

CORPORA = sorted((ROOT / "data").glob("needs_corpus*.jsonl"))
C = 4.0  # inverse regularisation, chosen by the cross-validation below (see --search)
SECOND_WEIGHT = 0.3  # a line's second acceptable need, as a light extra example
DECIMALS = 2
MIN_WEIGHT = 0.05  # smaller weights are dropped from the shipped file (no decision changes)
FOLDS = 5


def reading(matcher: NeedMatcher, text: str) -> Reading:
    """A line as the bot reads it (bot.services.Services.understand_offline): the place it
    names is a name, an English line has the English table's needs."""
    english = detect(text) == ENGLISH
    location = resolve_location(text, load_gazetteer(), "HN", "BZ" if english else "")
    found = english_needs(text) if english else None
    return reading_of(matcher, text, found, place_names(location))


def load_corpus(paths: list[Path] = CORPORA) -> list[tuple[str, tuple[str, ...]]]:
    """Every labelled line of the corpus files, in a fixed order."""
    rows = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append((row["text"], tuple(row["needs"])))
    return rows


def _examples(
    feats: list[set[str]], labels: list[tuple[str, ...]]
) -> tuple[list[set[str]], list[str], list[float]]:
    xs, ys, ws = [], [], []
    for f, needs in zip(feats, labels, strict=True):
        xs.append(f)
        ys.append(needs[0] if needs else NONE_CLASS)
        ws.append(1.0)
        if len(needs) > 1:
            xs.append(f)
            ys.append(needs[1])
            ws.append(SECOND_WEIGHT)
    return xs, ys, ws


def fit(feats: list[set[str]], labels: list[tuple[str, ...]], c: float = C) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    xs, ys, ws = _examples(feats, labels)
    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform([dict.fromkeys(sorted(x), 1.0) for x in xs])
    model = LogisticRegression(C=c, max_iter=5000, tol=1e-6)
    model.fit(matrix, ys, sample_weight=ws)
    classes = [str(c) for c in model.classes_]
    weights: dict[str, list[list[float]]] = {}
    for column, name in enumerate(vectorizer.get_feature_names_out()):
        moved = [
            [k, round(float(model.coef_[k, column]), DECIMALS)]
            for k in range(len(classes))
            if abs(model.coef_[k, column]) >= MIN_WEIGHT
        ]
        if moved:
            weights[str(name)] = moved
    return {
        "classes": classes,
        "bias": [round(float(b), DECIMALS) for b in model.intercept_],
        "weights": weights,
    }


def cross_validate(feats: list[set[str]], labels: list[tuple[str, ...]], c: float = C) -> float:
    """First-need accuracy over FOLDS folds (each line in one test fold; a fixed split)."""
    hits = 0
    for fold in range(FOLDS):
        train = [i for i in range(len(feats)) if i % FOLDS != fold]
        test = [i for i in range(len(feats)) if i % FOLDS == fold]
        model = NeedModel(fit([feats[i] for i in train], [labels[i] for i in train], c))
        for i in test:
            top = model.ranked(feats[i])[0][0]
            hits += (top == NONE_CLASS and not labels[i]) or top in labels[i]
    return hits / len(feats)


def evaluate(matcher: NeedMatcher, paths: list[Path] = CORPORA) -> dict[str, float]:
    """Leave one corpus out: trained on the other files, first-need accuracy of the whole
    reader (rules and model) on each file, each written by another helper in another style:
    the closest this script gets to unseen wording."""
    read = {
        path: [(reading(matcher, text), needs) for text, needs in load_corpus([path])]
        for path in paths
    }
    out: dict[str, float] = {}
    for held in paths:
        rows = [row for path in paths if path != held for row in read[path]]
        model = NeedModel(fit([features(r) for r, _ in rows], [n for _, n in rows]))
        reader = NeedReader(matcher, model)
        hits = 0
        for line, needs in read[held]:
            got = reader.decide(line).needs
            hits += (not needs and not got) or (bool(got) and bool(needs) and got[0] in needs)
        out[held.name] = hits / len(read[held])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the model file differs")
    parser.add_argument("--search", action="store_true", help="cross-validate several C")
    parser.add_argument("--cv", action="store_true", help="cross-validate the chosen C")
    parser.add_argument(
        "--evaluate", action="store_true", help="leave one corpus file out, for each file"
    )
    args = parser.parse_args()
    matcher = load_need_matcher()
    rows = load_corpus()
    feats = [features(reading(matcher, text)) for text, _ in rows]
    labels = [needs for _, needs in rows]
    if args.search:
        for c in (0.5, 1.0, 2.0, 4.0, 8.0, 16.0):
            print(f"C={c}: {cross_validate(feats, labels, c):.3f}")
        return 0
    if args.evaluate:
        scores = evaluate(matcher)
        for name, score in scores.items():
            print(f"{name}: {score:.3f} (trained on the other files)")
        print(f"mean: {sum(scores.values()) / len(scores):.3f}")
        return 0
    if args.cv:
        print(f"cross-validated first-need accuracy: {cross_validate(feats, labels):.3f}")
    model = fit(feats, labels)
    text = json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    if args.check:
        same = MODEL_PATH.exists() and MODEL_PATH.read_text(encoding="utf-8") == text
        print("model up to date" if same else "model differs: run scripts/train_needs.py")
        return 0 if same else 1
    MODEL_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {MODEL_PATH.relative_to(ROOT)}: {len(model['weights'])} features, "
          f"{len(rows)} lines, {MODEL_PATH.stat().st_size // 1024} KiB")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
