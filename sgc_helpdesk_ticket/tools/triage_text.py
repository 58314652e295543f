# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Vietnamese request text as the triage reads it, and its scoring.

Pure Python, without Odoo, so that the benchmark can use the very same
functions: ``request_text`` strips a mail's quoted reply and signature,
``fold`` writes the text without diacritics ("báo giá" and "bao gia" are one
word), ``words`` adds chat-style spelling, ``features`` are the words and word
pairs the model counts (the SQL rebuild in ``helpdesk_ticket_triage.py`` derives
the same ones from the stored words), and ``Scorer`` combines the request
types' keywords with the counts learnt from the desk's history (naive Bayes on
binary features).
"""

import math
import re
import unicodedata

# Where a mail's own text ends: the quoted message it answers (Gmail, Outlook,
# Apple Mail, in Vietnamese and English) or a forwarded one.
QUOTE_HEADERS = re.compile(
    r"^\s*(?:"
    r"on\s.{0,200}\swrote:"
    r"|vào\s.{0,200}\sđã viết:"
    r"|vao\s.{0,200}\sda viet:"
    r"|-{2,}\s*(?:original message|forwarded message|thư gốc|tin nhắn gốc)\s*-{2,}"
    r"|from:\s.*"
    r"|từ:\s.*"
    r"|_{10,}"
    r")\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# Where a signature starts: the "-- " separator, a sign-off on its own line, a
# mobile client's footer.
SIGNATURE_LINES = re.compile(
    r"^\s*(?:--\s*"
    r"|(?:trân trọng|tran trong|thân ái|than ai|thân chào|best regards|kind regards"
    r"|regards|best|thanks\s*(?:&|and)\s*(?:best\s*)?regards|br|cheers)\s*[,.!]*"
    r"|sent from my \w+.*|gửi từ .*|được gửi từ .*"
    r")\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# Chat and mail shorthand, written out (keys and values already folded).
SHORTHAND = {
    "ko": "khong",
    "k": "khong",
    "kg": "khong",
    "hok": "khong",
    "hong": "khong",
    "dc": "duoc",
    "dk": "duoc",
    "e": "em",
    "ae": "anh em",
    "ad": "admin",
    "vs": "voi",
    "j": "gi",
    "r": "roi",
    "ntn": "nhu the nao",
    "bg": "bao gia",
    "qt": "quan trac",
    "nc": "nuoc",
    "ck": "chuyen khoan",
    "ptich": "phan tich",
    "ktra": "kiem tra",
    "kt": "ky thuat",
    "cty": "cong ty",
    "sdt": "so dien thoai",
    "mtld": "moi truong lao dong",
    "bvmt": "bao ve moi truong",
    "tnmt": "tai nguyen moi truong",
    "gpmt": "giay phep moi truong",
    "pls": "please",
    "thanks": "thank",
    "samples": "sample",
    "invoices": "invoice",
}
WORD = re.compile(r"[a-z0-9]+")
REPEATS = re.compile(r"([a-z])\1{2,}")
MAX_CHARS = 2000
# Words too short to be told from a typo of another one.
MIN_FUZZY_LEN = 4


def request_text(subject, body):
    """What the customer wrote: the subject and the body without the quoted
    reply and the signature (plain text in, plain text out)."""
    body = (body or "").replace("\r\n", "\n")
    match = QUOTE_HEADERS.search(body)
    if match:
        body = body[: match.start()]
    body = "\n".join(line for line in body.split("\n") if not line.startswith(">"))
    match = SIGNATURE_LINES.search(body)
    # A sign-off in the first line is a greeting, not the start of a signature.
    if match and body[: match.start()].strip():
        body = body[: match.start()]
    subject = re.sub(
        r"^\s*(?:(?:re|fw|fwd|tr|trả lời)\s*:\s*)+", "", subject or "", flags=re.I
    )
    return f"{subject}\n{body}"[:MAX_CHARS]


def fold(text):
    """Lower case, without diacritics (đ is d): how the triage compares words."""
    text = (text or "").lower().replace("đ", "d")
    text = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def words(text):
    """The folded words of ``text``, chat shorthand written out."""
    out = []
    for word in WORD.findall(fold(text)):
        word = REPEATS.sub(r"\1", word)
        out.extend(SHORTHAND.get(word, word).split())
    return out


def features(word_list):
    """The binary features the model counts: each word and each word pair."""
    feats = set(word_list)
    feats.update(f"{a} {b}" for a, b in zip(word_list, word_list[1:], strict=False))
    return feats


def keyword_phrases(text):
    """The folded keyword phrases of a request type's keyword list (one per
    line or separated by commas)."""
    phrases = []
    for raw in re.split(r"[\n,;]", text or ""):
        phrase = tuple(words(raw))
        if phrase:
            phrases.append((raw.strip(), phrase))
    return phrases


def deletes(word):
    """The word and each string one character shorter: two words one typo apart
    (a letter wrong, missing, extra or swapped) share one of them."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def one_edit(a, b):
    """True when ``a`` and ``b`` are one typo apart: a letter replaced, added,
    dropped, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


class FuzzyIndex:
    """Words known to the triage, found again through a typo."""

    def __init__(self, known):
        self.known = set(known)
        self.index = {}
        for word in self.known:
            if len(word) >= MIN_FUZZY_LEN - 1 and not word.isdigit():
                for key in deletes(word):
                    self.index.setdefault(key, set()).add(word)

    def correct(self, word):
        if word in self.known or len(word) < MIN_FUZZY_LEN or word.isdigit():
            return word
        found = set()
        for key in deletes(word):
            found |= self.index.get(key, set())
        found = {known for known in found if one_edit(word, known)}
        if len(found) > 1:
            # A doubled letter ("giaa") is the likeliest typo.
            found &= {
                word[:i] + word[i + 1 :]
                for i in range(1, len(word))
                if word[i] == word[i - 1]
            }
        return found.pop() if len(found) == 1 else word


def edits1(word):
    """Every string one edit away from ``word`` (for a lookup in the model)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in letters}
    out |= {a + c + b for a, b in splits for c in letters}
    out.discard(word)
    return out


class Scorer:
    """Scores of each request type for one request.

    ``keywords``: {category: (weight, [(label, phrase words)])}; ``counts``: {feature:
    {category: number of learnt requests with it}} for the request's features;
    ``docs``: {category: learnt requests}; ``totals``: {category: features
    counted}; ``vocabulary``: distinct features learnt. ``params`` weigh the
    parts (see DEFAULT_PARAMS).
    """

    DEFAULT_PARAMS = {
        "alpha": 0.3,  # additive smoothing of the learnt counts
        "min_vocabulary": 2000,  # words and pairs the smoothing assumes at least
        "keyword_weight": 2.0,  # one keyword phrase, in log-odds
        "keyword_pair_bonus": 0.5,  # extra weight per extra word of a phrase
        "temperature": 2.0,  # of the learnt part, for the confidence
        "length_power": 0.5,  # the learnt part divided by (features ** this)
        "keyword_decay": 0.6,  # each further phrase of one type counts less
        "fallback_score": 2.0,  # of the fallback type, when nothing matches
        "fallback_floor": 1.0,  # the least of it when the words are known
    }

    def __init__(self, keywords, params=None, fallback=None):
        self.keywords = keywords
        self.params = dict(self.DEFAULT_PARAMS, **(params or {}))
        self.fallback = fallback
        vocab = {w for _k, phrases in keywords.values() for _l, p in phrases for w in p}
        self.fuzzy = FuzzyIndex(vocab)
        # The phrases by their first word: a request is read once.
        self.by_first = {}
        for category, (_factor, phrases) in keywords.items():
            for label, phrase in phrases:
                self.by_first.setdefault(phrase[0], []).append(
                    (category, label, phrase)
                )

    def keyword_hits(self, word_list):
        """{category: [(label, weight)]} of the keyword phrases in the words
        (a word may be a typo of the keyword's). Within a type, a longer phrase
        wins over the shorter ones inside it, and each further phrase counts
        less than the one before (``keyword_decay``): a request naming many
        topics of one type does not outweigh the one intent of another."""
        corrected = [self.fuzzy.correct(w) for w in word_list]
        params = self.params
        hits = {}
        found_by_category = {}
        for start, word in enumerate(corrected):
            for category, label, phrase in self.by_first.get(word, ()):
                size = len(phrase)
                if tuple(corrected[start : start + size]) == phrase:
                    found_by_category.setdefault(category, []).append(
                        (size, start, label)
                    )
        for category, found in found_by_category.items():
            factor = self.keywords[category][0]
            used, weights = set(), []
            for size, start, label in sorted(found, key=lambda x: (-x[0], x[1])):
                span = set(range(start, start + size))
                if span & used or label in {lbl for lbl, _w in weights}:
                    continue
                used |= span
                weights.append(
                    (
                        label,
                        params["keyword_weight"]
                        + params["keyword_pair_bonus"] * (size - 1),
                    )
                )
            if weights:
                weights.sort(key=lambda x: -x[1])
                hits[category] = [
                    (label, factor * weight * params["keyword_decay"] ** rank)
                    for rank, (label, weight) in enumerate(weights)
                ]
        return hits

    def score(self, word_list, counts, docs, totals, vocabulary):
        """(ranking [(category, probability)], {category: [(why, weight)]})."""
        params = self.params
        categories = set(self.keywords) | set(docs)
        if self.fallback:
            categories.add(self.fallback)
        hits = self.keyword_hits(word_list)
        learnt = sum(docs.values())
        scores, reasons = {}, {}
        alpha = params["alpha"]
        # At least a language's worth of words: a type with few or no learnt
        # requests does not make every word likely.
        vocabulary = max(vocabulary, params["min_vocabulary"])
        for category in categories:
            why = [(label, weight) for label, weight in hits.get(category, [])]
            score = sum(weight for _label, weight in why)
            if learnt:
                n_docs = docs.get(category, 0)
                nb = math.log((n_docs + 1) / (learnt + len(categories)))
                denominator = math.log(totals.get(category, 0) + alpha * vocabulary)
                for feature, by_category in counts.items():
                    n = by_category.get(category, 0)
                    contribution = math.log(n + alpha) - denominator
                    nb += contribution
                    if n:
                        why.append((feature, contribution))
                # Long mails count many features: the learnt part is weighed
                # per feature, so that it does not drown the keywords.
                score += (
                    nb
                    / params["temperature"]
                    / max(len(counts), 1) ** params["length_power"]
                )
            scores[category] = score
            reasons[category] = why
        if self.fallback and not hits:
            # Leaning to the fallback type is for words the triage does not know:
            # words learnt under one type speak for themselves.
            plain = tt_content = [w for w in set(word_list) if w not in STOPWORDS]
            known = [w for w in tt_content if w in counts]
            share = 1 - len(known) / len(plain) if plain and learnt else 1.0
            floor = params["fallback_floor"]
            scores[self.fallback] += params["fallback_score"] * max(share, floor)
        top = max(scores.values())
        exp = {c: math.exp(s - top) for c, s in scores.items()}
        total = sum(exp.values())
        ranking = sorted(
            ((c, e / total) for c, e in exp.items()), key=lambda x: (-x[1], str(x[0]))
        )
        return ranking, reasons

    @staticmethod
    def deciding(ranking, reasons, counts, limit=5):
        """The words that decided between the first and second request types."""
        if not ranking:
            return []
        first = ranking[0][0]
        second = ranking[1][0] if len(ranking) > 1 else None
        weights = {}
        for label, weight in reasons.get(first, []):
            if label in counts and second is not None:
                own = counts[label].get(first, 0)
                other = counts[label].get(second, 0)
                if own <= other:
                    continue
                weight = math.log((own + 0.1) / (other + 0.1))
            weights[label] = max(weights.get(label, 0), weight)
        ordered = sorted(weights.items(), key=lambda x: (-x[1], x[0]))
        return [label for label, _w in ordered[:limit]]


# Function words of requests (folded), left out when two requests are compared.
STOPWORDS = frozenset(
    """a ai anh ay ba ban ben biet bo cac cam can cho chi chua chung cua co con cong
    da dang day de den di do duoc em gi giup gui ha hai hay hoi hom khi khong kinh la
    lai lam luc ma mai minh mot nao nay ne nha nhan nhe nho nhung nua o oi on qua quy
    ra roi sang se sgc so sau thay the thi tho toi tot trong tran truoc tu tuan ty va
    vao vay ve vi voi xin dear hello hi please thank the and for of to we our you your
    is are be in on at""".split()
)


def content_words(word_list):
    """The words of a request that say what it is about."""
    return {w for w in word_list if w not in STOPWORDS and not w.isdigit()}


def similarity(a, b):
    """Cosine of two sets of content words (0: nothing in common, 1: the same)."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))
