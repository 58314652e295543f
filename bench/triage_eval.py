# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The triage's evaluation set and the plain naive Bayes it is compared with.

Runs without Odoo (``python3 bench/triage_eval.py`` prints the figures of the
training part by cross-validation, which is what keywords and parameters were
tuned on); ``bench_triage.py`` measures the addon's own code in a database.
"""

import importlib.util
import json
import math
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from lxml import etree

BENCH = Path(__file__).resolve().parent
ADDON = BENCH.parent / "sgc_helpdesk_ticket"
DATA = BENCH / "data" / "triage_requests.jsonl"
KEYWORDS_XML = ADDON / "data" / "helpdesk_ticket_category_triage_data.xml"


def load_text_module():
    spec = importlib.util.spec_from_file_location(
        "sgc_triage_text", ADDON / "tools" / "triage_text.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tt = load_text_module()


def load_set(path=DATA):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_keywords(path=KEYWORDS_XML):
    """{category xmlid: (weight, keyword text, fallback)} as shipped in data."""
    out = {}
    for record in etree.parse(str(path)).getroot().iter("record"):
        fields = {f.get("name"): f for f in record.iter("field")}
        out[record.get("id")] = (
            float(fields["sgc_triage_keyword_weight"].text),
            fields["sgc_triage_keywords"].text or "",
            "sgc_triage_fallback" in fields,
        )
    return out


def has_diacritics(text):
    return tt.fold(text) != (text or "").lower()


def describe(items):
    cls = [r for r in items if r["split"] in ("train", "heldout")]
    plain = sum(1 for r in cls if not has_diacritics(r["subject"] + r["body"]))
    return {
        "requests": len(cls),
        "train": sum(1 for r in cls if r["split"] == "train"),
        "heldout": sum(1 for r in cls if r["split"] == "heldout"),
        "without_diacritics": plain,
        "channels": dict(Counter(r["channel"] for r in cls)),
        "types": dict(Counter(r["category"] for r in cls)),
        "duplicate_cases": sum(1 for r in items if r["split"] == "duplicates"),
    }


def request_words(item):
    return tt.words(tt.request_text(item["subject"], item["body"]))


class MemoryTriage:
    """The addon's scoring with the counts held in memory (what the database
    table holds), for cross-validation without a database."""

    def __init__(self, keywords, params=None):
        self.scorer = tt.Scorer(
            {
                cat: (weight, tt.keyword_phrases(text))
                for cat, (weight, text, _f) in keywords.items()
            },
            params=params,
            fallback=next((c for c, v in keywords.items() if v[2]), None),
        )
        self.counts = defaultdict(Counter)
        self.docs = Counter()
        self.totals = Counter()

    def learn(self, items):
        for item in items:
            feats = tt.features(request_words(item))
            for feat in feats:
                self.counts[feat][item["category"]] += 1
            self.docs[item["category"]] += 1
            self.totals[item["category"]] += len(feats)

    def suggest(self, item):
        word_list = request_words(item)
        known = {w for w in self.counts if " " not in w}
        fuzzy = tt.FuzzyIndex(known)
        word_list = [fuzzy.correct(w) for w in word_list]
        feats = tt.features(word_list)
        counts = {f: dict(self.counts[f]) for f in feats if f in self.counts}
        # As the table counts it: distinct features of each type, summed.
        vocabulary = sum(len(by_cat) for by_cat in self.counts.values())
        ranking, _why = self.scorer.score(
            word_list, counts, self.docs, self.totals, vocabulary
        )
        return ranking[0]


class PlainNaiveBayes:
    """Multinomial naive Bayes over unaccented words and word pairs, Laplace
    smoothing, nothing else (no quote stripping, shorthand or keywords)."""

    def __init__(self):
        self.counts = defaultdict(Counter)
        self.docs = Counter()
        self.vocab = set()

    @staticmethod
    def _features(item):
        words = tt.WORD.findall(tt.fold(item["subject"] + " " + item["body"]))
        return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]

    def learn(self, items):
        for item in items:
            feats = self._features(item)
            self.counts[item["category"]].update(feats)
            self.docs[item["category"]] += 1
            self.vocab.update(feats)

    def suggest(self, item):
        total_docs = sum(self.docs.values())
        best = None
        for cat, counter in self.counts.items():
            denominator = sum(counter.values()) + len(self.vocab)
            score = math.log(self.docs[cat] / total_docs)
            for feat in self._features(item):
                score += math.log((counter[feat] + 1) / denominator)
            if best is None or score > best[1]:
                best = (cat, score)
        return best


def accuracy(model, items):
    return sum(1 for r in items if model.suggest(r)[0] == r["category"]) / len(items)


def precision_coverage(results, threshold):
    routed = [ok for conf, ok in results if conf >= threshold]
    precision = sum(routed) / len(routed) if routed else 1.0
    return precision, len(routed) / len(results)


def cross_validate(items, keywords, params=None, folds=5, seed=14):
    """(accuracy, [(confidence, correct)]) over ``folds`` folds of ``items``."""
    items = list(items)
    random.Random(seed).shuffle(items)
    results = []
    for k in range(folds):
        test = items[k::folds]
        train = [r for i, r in enumerate(items) if i % folds != k]
        model = MemoryTriage(keywords, params)
        model.learn(train)
        for r in test:
            cat, conf = model.suggest(r)
            results.append((conf, cat == r["category"]))
    return sum(ok for _c, ok in results) / len(results), results


def pick_threshold(results, target=0.97):
    """The lowest confidence at or above which routing is at least ``target``
    precise (on cross-validated results), with a margin over 95%."""
    for threshold in [x / 100 for x in range(50, 100)]:
        precision, _coverage = precision_coverage(results, threshold)
        if precision >= target:
            return threshold
    return 0.99


def main():
    items = load_set()
    keywords = load_keywords()
    train = [r for r in items if r["split"] == "train"]
    print(json.dumps(describe(items), ensure_ascii=False))
    day_one = MemoryTriage(keywords)
    print(f"train, keywords only: {accuracy(day_one, train):.3f}")
    cv, results = cross_validate(train, keywords)
    threshold = pick_threshold(results)
    p, c = precision_coverage(results, threshold)
    print(
        f"train, 5-fold CV with history: {cv:.3f}; threshold {threshold}: "
        f"precision {p:.3f}, coverage {c:.3f}"
    )
    nb_results = []
    shuffled = list(train)
    random.Random(14).shuffle(shuffled)
    for k in range(5):
        nb = PlainNaiveBayes()
        nb.learn([r for i, r in enumerate(shuffled) if i % 5 != k])
        nb_results += [nb.suggest(r)[0] == r["category"] for r in shuffled[k::5]]
    print(f"train, 5-fold CV plain NB: {sum(nb_results) / len(nb_results):.3f}")
    if "--errors" in sys.argv:
        for r in train:
            cat, conf = day_one.suggest(r)
            if cat != r["category"]:
                print("DAY1", r["id"], cat, round(conf, 2), r["body"][:80])


if __name__ == "__main__":
    main()
