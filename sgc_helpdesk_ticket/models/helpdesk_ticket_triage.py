# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Triage from the words (SOP V.1: classify and route within 30 minutes).

A request that reaches the intake pipeline without a request type (mail, Zalo,
any channel whose customer did not choose one) gets a suggested type, its
confidence and the words and past tickets that decided it. At or above the
company's threshold the ticket is routed as if the type had been chosen; below
it, the monitor accepts the suggestion with one click.

The suggestion reads the request's keywords of each type (data, editable) and
what the desk's history taught: every ticket whose type a person set, accepted
or closed is counted, word by word, in ``helpdesk.ticket.triage.token``
(incrementally when it is confirmed, and rebuilt by set-based SQL every night).
A new request of a customer close to one of their open tickets of the last days
is flagged as a possible duplicate, and its acknowledgement names that ticket.
"""

import logging
import re
from datetime import timedelta

from lxml import html as lxml_html
from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import email_normalize, html2plaintext
from odoo.tools.sql import create_index

from ..tools import triage_text as tt
from .helpdesk_ticket import OPEN_STATES
from .helpdesk_ticket_triage_token import DOCS, FEATS, SPECIAL, VOCAB

_logger = logging.getLogger(__name__)

# Marks of a quoted message in the HTML of a mail (Odoo's own parser, Gmail,
# Outlook, Thunderbird).
QUOTE_XPATH = (
    "//blockquote | //*[@data-o-mail-quote] | //*[contains(@class, 'gmail_quote')]"
    " | //*[@id='divRplyFwdMsg'] | //*[contains(@class, 'moz-cite-prefix')]"
)
# Unknown words corrected per request, at most (each costs one lookup).
MAX_CORRECTIONS = 12
SIMILAR_CANDIDATES = 200
SIMILAR_SHOWN = 3
REBUILD_CHUNK = 5000

# The features of the stored words, in SQL: each word and each pair of
# neighbours, once per ticket (tools/triage_text.py, features()).
FEATURES_SQL = """
    WITH docs AS (
        SELECT t.id, t.company_id, t.category_id,
               string_to_array(t.sgc_triage_text, ' ') AS w
          FROM helpdesk_ticket t
         WHERE t.company_id = %(company)s
           AND t.sgc_category_confirmed
           AND t.category_id IS NOT NULL
           AND coalesce(t.sgc_triage_text, '') != ''
    ), feats AS (
        SELECT d.id, d.category_id, d.w[i] AS token
          FROM docs d, generate_subscripts(d.w, 1) i
        UNION
        SELECT d.id, d.category_id, d.w[i] || ' ' || d.w[i + 1]
          FROM docs d, generate_subscripts(d.w, 1) i
         WHERE i < array_length(d.w, 1)
    ), counted AS (
        SELECT category_id, token, count(*) AS n
          FROM feats GROUP BY category_id, token
    )
    INSERT INTO helpdesk_ticket_triage_token
           (company_id, category_id, token, doc_count,
            create_uid, write_uid, create_date, write_date)
    SELECT %(company)s, category_id, token, n, %(uid)s, %(uid)s,
           now() at time zone 'UTC', now() at time zone 'UTC'
      FROM counted
    UNION ALL
    SELECT %(company)s, category_id, '#feats', sum(n), %(uid)s, %(uid)s,
           now() at time zone 'UTC', now() at time zone 'UTC'
      FROM counted GROUP BY category_id
    UNION ALL
    SELECT %(company)s, category_id, '#vocab', count(*), %(uid)s, %(uid)s,
           now() at time zone 'UTC', now() at time zone 'UTC'
      FROM counted GROUP BY category_id
    UNION ALL
    SELECT %(company)s, category_id, '#docs', count(*), %(uid)s, %(uid)s,
           now() at time zone 'UTC', now() at time zone 'UTC'
      FROM docs GROUP BY category_id
"""

# One request's features added to (sign 1) or taken from (sign -1) a type's counts.
LEARN_SQL = """
    WITH added AS (
        INSERT INTO helpdesk_ticket_triage_token AS t
               (company_id, category_id, token, doc_count,
                create_uid, write_uid, create_date, write_date)
        SELECT %(company)s, %(category)s, token, 1, %(uid)s, %(uid)s,
               now() at time zone 'UTC', now() at time zone 'UTC'
          FROM unnest(%(tokens)s::varchar[]) token
        ON CONFLICT (company_id, token, category_id)
        DO UPDATE SET doc_count = t.doc_count + 1
        RETURNING (xmax = 0) AS inserted
    )
    INSERT INTO helpdesk_ticket_triage_token AS t
           (company_id, category_id, token, doc_count,
            create_uid, write_uid, create_date, write_date)
    SELECT %(company)s, %(category)s, s.token, s.n, %(uid)s, %(uid)s,
           now() at time zone 'UTC', now() at time zone 'UTC'
      FROM (VALUES ('#docs', 1), ('#feats', %(size)s),
                   ('#vocab', (SELECT count(*) FROM added WHERE inserted))) s(token, n)
    ON CONFLICT (company_id, token, category_id)
    DO UPDATE SET doc_count = t.doc_count + EXCLUDED.doc_count
"""
UNLEARN_SQL = """
    UPDATE helpdesk_ticket_triage_token t SET doc_count = t.doc_count - 1
     WHERE t.company_id = %(company)s AND t.category_id = %(category)s
       AND t.token = ANY(%(tokens)s) AND t.doc_count > 0
"""
# Then the rows no request has any more go, and the type's totals follow.
UNLEARN_TOTALS_SQL = """
    WITH gone AS (
        DELETE FROM helpdesk_ticket_triage_token t
         WHERE t.company_id = %(company)s AND t.category_id = %(category)s
           AND t.doc_count <= 0 AND t.token NOT IN ('#docs', '#feats', '#vocab')
        RETURNING t.id
    )
    UPDATE helpdesk_ticket_triage_token t
       SET doc_count = greatest(t.doc_count - CASE t.token
            WHEN '#docs' THEN 1 WHEN '#feats' THEN %(size)s
            ELSE (SELECT count(*) FROM gone) END, 0)
     WHERE t.company_id = %(company)s AND t.category_id = %(category)s
       AND t.token IN ('#docs', '#feats', '#vocab')
"""


def ticket_text(subject, description_html):
    """The request as the customer wrote it: the subject and the description
    without a mail's quoted message and signature."""
    html = description_html or ""
    if html.strip():
        try:
            root = lxml_html.fragment_fromstring(html, create_parent="div")
            for node in root.xpath(QUOTE_XPATH):
                node.drop_tree()
            html = lxml_html.tostring(root, encoding="unicode")
        except Exception:  # noqa: BLE001 - unparsable HTML is read as it is
            _logger.debug("Triage: description left as it is", exc_info=True)
    return tt.request_text(subject, html2plaintext(html) if html.strip() else "")


class HelpdeskTicketTriage(models.AbstractModel):
    _name = "helpdesk.ticket.triage"
    _description = "Helpdesk Ticket Triage"

    # ------------------------------------------------------------------
    # Suggestion
    # ------------------------------------------------------------------

    @api.model
    def _categories(self, company):
        # sudo: request types are configuration every channel reads (public too)
        return (
            self.env["helpdesk.ticket.category"]
            .sudo()  # sudo: configuration, names and keywords only
            .search([("company_id", "in", [company.id, False]), ("active", "=", True)])
        )

    @api.model
    def _scorer(self, company):
        """The scorer of the company's request types, built once per version of
        their keywords (a request type's write date changes with them)."""
        categories = self._categories(company)
        signature = tuple(
            (category.id, str(category.write_date)) for category in categories
        )
        return self._scorer_of(signature)

    @tools.ormcache("signature")
    def _scorer_of(self, signature):
        # sudo: request types are configuration every channel reads (public too)
        categories = (
            self.env["helpdesk.ticket.category"]
            .sudo()  # sudo: configuration, names and keywords only
            .browse([category_id for category_id, _date in signature])
        )
        keywords = {
            category.id: (
                category.sgc_triage_keyword_weight,
                tt.keyword_phrases(category.sgc_triage_keywords),
            )
            for category in categories
        }
        fallback = categories.filtered("sgc_triage_fallback")[:1].id or None
        return tt.Scorer(keywords, fallback=fallback)

    @api.model
    def _counts(self, company, tokens):
        """{token: {category id: requests}} of the learnt rows for ``tokens``."""
        self.env.cr.execute(
            """SELECT token, category_id, doc_count
                 FROM helpdesk_ticket_triage_token
                WHERE company_id = %s AND token = ANY(%s)""",
            (company.id, list(tokens)),
        )
        counts = {}
        for token, category_id, count in self.env.cr.fetchall():
            counts.setdefault(token, {})[category_id] = count
        return counts

    @api.model
    def _correct(self, company, word_list, counts, scorer):
        """The words, with an unknown word replaced by the learnt word one typo
        away that most requests have (one lookup for all of them)."""
        unknown = [
            w
            for w in dict.fromkeys(word_list)
            if w not in counts
            and w not in scorer.fuzzy.known
            and len(w) >= tt.MIN_FUZZY_LEN
            and not w.isdigit()
        ][:MAX_CORRECTIONS]
        if not unknown:
            return word_list
        variants = {}
        for word in unknown:
            for variant in tt.edits1(word):
                variants.setdefault(variant, []).append(word)
        self.env.cr.execute(
            """SELECT token, sum(doc_count) FROM helpdesk_ticket_triage_token
                WHERE company_id = %s AND token = ANY(%s) GROUP BY token""",
            (company.id, list(variants)),
        )
        best = {}
        for token, count in self.env.cr.fetchall():
            for word in variants[token]:
                if word not in best or count > best[word][1]:
                    best[word] = (token, count)
        return [best[w][0] if w in best else w for w in word_list]

    @api.model
    def _suggest(self, company, text):
        """The suggestion for a request's text (see ``ticket_text``): a dict with
        the category, its confidence, the deciding words and the words read;
        empty without any request type."""
        scorer = self._scorer(company)
        if not scorer.keywords:
            return {}
        word_list = [scorer.fuzzy.correct(w) for w in tt.words(text)]
        feats = tt.features(word_list)
        counts = self._counts(company, feats | set(SPECIAL))
        if any(token in counts for token in SPECIAL):
            corrected = self._correct(company, word_list, counts, scorer)
            if corrected != word_list:
                word_list = corrected
                new = tt.features(word_list) - feats
                feats |= new
                counts.update(self._counts(company, new))
        totals = {token: counts.pop(token, {}) for token in SPECIAL}
        counts = {f: c for f, c in counts.items() if f in feats}
        ranking, reasons = scorer.score(
            word_list,
            counts,
            totals[DOCS],
            totals[FEATS],
            sum(totals[VOCAB].values()),
        )
        category_id, confidence = ranking[0]
        return {
            "category_id": category_id,
            "confidence": confidence,
            "deciding": tt.Scorer.deciding(ranking, reasons, counts),
            "words": word_list,
        }

    @api.model
    def _similar(self, company, category_id, deciding, word_list, exclude=()):
        """Up to three confirmed past tickets of the type, closest to the words."""
        terms = sorted({w for phrase in deciding for w in tt.words(phrase)})
        terms = [w for w in terms if w not in tt.STOPWORDS][:6]
        if not terms:
            return []
        self.env.cr.execute(
            """SELECT id, sgc_triage_text FROM helpdesk_ticket
                WHERE company_id = %s AND category_id = %s AND sgc_category_confirmed
                  AND NOT id = ANY(%s)
                  AND to_tsvector('simple', coalesce(sgc_triage_text, ''))
                      @@ to_tsquery('simple', %s)
             ORDER BY id DESC LIMIT %s""",
            (
                company.id,
                category_id,
                list(exclude),
                " | ".join(terms),
                SIMILAR_CANDIDATES,
            ),
        )
        mine = tt.content_words(word_list)
        scored = [
            (tt.similarity(mine, tt.content_words((text or "").split())), -ticket_id)
            for ticket_id, text in self.env.cr.fetchall()
        ]
        scored.sort(reverse=True)
        return [-neg_id for score, neg_id in scored[:SIMILAR_SHOWN] if score > 0]

    # ------------------------------------------------------------------
    # Duplicates
    # ------------------------------------------------------------------

    @api.model
    def _phone_variants(self, partner):
        variants = set()
        for phone in (partner.phone, partner.mobile) if partner else ():
            digits = re.sub(r"\D", "", phone or "")
            if len(digits) < 8:
                continue
            variants.add(digits)
            # Vietnamese numbers are written 0xx... or (+)84xx...
            if digits.startswith("84"):
                variants.add("0" + digits[2:])
            elif digits.startswith("0"):
                variants.add("84" + digits[1:])
        return sorted(variants)

    @api.model
    def _find_duplicate(
        self, company, partner, email, word_list, category_id, before=None
    ):
        """(ticket id, similarity) of the customer's open ticket of the last
        days closest to these words, when close enough; else (False, 0).
        ``before``: the ticket being triaged, only older tickets are looked at."""
        days = company.sgc_duplicate_days
        if days <= 0 or not (partner or email):
            return False, 0.0
        since = fields.Datetime.now() - timedelta(days=days)
        phones = self._phone_variants(partner)
        self.env["helpdesk.ticket"].flush_model()
        self.env.cr.execute(
            r"""SELECT t.id, t.sgc_triage_text,
                       coalesce(t.category_id, t.sgc_suggested_category_id)
                  FROM helpdesk_ticket t
             LEFT JOIN res_partner p ON p.id = t.partner_id
                 WHERE t.company_id = %(company)s
                   AND t.state = ANY(%(open)s)
                   AND t.create_date >= %(since)s
                   AND (%(before)s IS NULL OR t.id < %(before)s)
                   AND (t.partner_id = %(partner)s
                        OR lower(t.partner_email) = %(email)s
                        OR regexp_replace(coalesce(p.phone, ''), '\D', '', 'g')
                           = ANY(%(phones)s)
                        OR regexp_replace(coalesce(p.mobile, ''), '\D', '', 'g')
                           = ANY(%(phones)s))
              ORDER BY t.id DESC LIMIT 50""",
            {
                "company": company.id,
                "open": list(OPEN_STATES),
                "since": since,
                "partner": partner.id if partner else 0,
                "email": email or "-",
                "phones": phones,
                "before": before,
            },
        )
        mine = tt.content_words(word_list)
        best = (False, 0.0)
        for ticket_id, text, other_category in self.env.cr.fetchall():
            score = tt.similarity(mine, tt.content_words((text or "").split()))
            if category_id and other_category == category_id:
                score += company.sgc_duplicate_type_bonus
            if score > best[1]:
                best = (ticket_id, score)
        if best[1] >= company.sgc_duplicate_similarity:
            return best
        return False, 0.0

    # ------------------------------------------------------------------
    # The values of a new ticket
    # ------------------------------------------------------------------

    @api.model
    def _ticket_vals(self, vals, ticket_id=None):
        """What the triage adds to the values of a ticket of the intake
        pipeline (``ticket_id`` once it exists): its words, the suggestion (and
        the category, when confident enough), the possible duplicate."""
        company = self.env["res.company"].browse(vals.get("company_id"))
        company = company or self.env.company
        text = ticket_text(vals.get("name"), vals.get("description"))
        extra = {}
        suggestion = {} if vals.get("category_id") else self._suggest(company, text)
        word_list = suggestion.get("words") or tt.words(text)
        extra["sgc_triage_text"] = " ".join(word_list)
        category_id = vals.get("category_id")
        if suggestion:
            category_id = suggestion["category_id"]
            similar = self._similar(
                company,
                category_id,
                suggestion["deciding"],
                word_list,
                exclude=[ticket_id] if ticket_id else (),
            )
            extra.update(
                {
                    "sgc_suggested_category_id": category_id,
                    "sgc_suggestion_confidence": suggestion["confidence"],
                    "sgc_suggestion_words": ", ".join(suggestion["deciding"]),
                    "sgc_similar_ticket_ids": [fields.Command.set(similar)],
                }
            )
            if suggestion["confidence"] >= company.sgc_triage_threshold:
                extra["category_id"] = category_id
                extra["sgc_auto_routed"] = True
        partner = self.env["res.partner"].browse(vals.get("partner_id") or [])
        email = email_normalize(vals.get("partner_email") or "") or (
            email_normalize(partner.email or "") if partner else ""
        )
        duplicate, score = self._find_duplicate(
            company, partner.exists(), email, word_list, category_id, ticket_id
        )
        if duplicate:
            extra["sgc_possible_duplicate_id"] = duplicate
            extra["sgc_duplicate_score"] = min(score, 1.0)
        return extra

    # ------------------------------------------------------------------
    # Learning
    # ------------------------------------------------------------------

    @api.model
    def _learn(self, tickets):
        """Count confirmed tickets under their current type, moving the counts
        of a ticket learnt under another type (one statement per ticket and
        type, never per history ticket)."""
        cr = self.env.cr
        for ticket in tickets:
            new = ticket.category_id if ticket.sgc_category_confirmed else None
            old = ticket.sgc_triage_learned_category_id
            if (new or old) and new == old:
                continue
            if not ticket.sgc_triage_text:
                text = ticket_text(ticket.name, ticket.description)
                ticket.sgc_triage_text = " ".join(tt.words(text))
            tokens = sorted(tt.features(ticket.sgc_triage_text.split()))
            params = {
                "company": ticket.company_id.id,
                "tokens": tokens,
                "size": len(tokens),
                "uid": self.env.uid,
            }
            if old:
                cr.execute(UNLEARN_SQL, dict(params, category=old.id))
                cr.execute(UNLEARN_TOTALS_SQL, dict(params, category=old.id))
            if new and tokens:
                cr.execute(LEARN_SQL, dict(params, category=new.id))
            ticket.sgc_triage_learned_category_id = new or False
        self.env["helpdesk.ticket.triage.token"].invalidate_model()
        return True

    @api.model
    def _backfill(self, company):
        """Store the words of confirmed tickets that have none yet (tickets of
        before the triage, imports): read and written by chunks."""
        cr = self.env.cr
        self.env["helpdesk.ticket"].flush_model()
        while True:
            cr.execute(
                """SELECT id, name, description FROM helpdesk_ticket
                    WHERE company_id = %s AND sgc_category_confirmed
                      AND category_id IS NOT NULL AND sgc_triage_text IS NULL
                    ORDER BY id LIMIT %s""",
                (company.id, REBUILD_CHUNK),
            )
            rows = cr.fetchall()
            if not rows:
                return
            ids = [row[0] for row in rows]
            texts = [
                " ".join(tt.words(ticket_text(name, description))) or " "
                for _id, name, description in rows
            ]
            cr.execute(
                """UPDATE helpdesk_ticket t SET sgc_triage_text = v.text
                     FROM unnest(%s::int[], %s::text[]) v(id, text)
                    WHERE t.id = v.id""",
                (ids, texts),
            )

    @api.model
    def _rebuild(self, company):
        """Count again, from scratch and in one statement, every ticket of the
        company whose type a person set or confirmed."""
        self._backfill(company)
        self.env["helpdesk.ticket"].flush_model()
        cr = self.env.cr
        cr.execute(
            "DELETE FROM helpdesk_ticket_triage_token WHERE company_id = %s",
            (company.id,),
        )
        cr.execute(FEATURES_SQL, {"company": company.id, "uid": self.env.uid})
        cr.execute(
            """UPDATE helpdesk_ticket SET sgc_triage_learned_category_id =
                      CASE WHEN sgc_category_confirmed THEN category_id END
                WHERE company_id = %s
                  AND sgc_triage_learned_category_id IS DISTINCT FROM
                      CASE WHEN sgc_category_confirmed THEN category_id END""",
            (company.id,),
        )
        self.env["helpdesk.ticket"].invalidate_model(["sgc_triage_learned_category_id"])
        self.env["helpdesk.ticket.triage.token"].invalidate_model()
        return True

    @api.model
    def _cron_rebuild(self):
        """Nightly: the learnt counts of every company, rebuilt from history."""
        companies = self.env["res.company"].search([])
        for index, company in enumerate(companies):
            self._rebuild(company)
            self.env["ir.cron"]._notify_progress(
                done=index + 1, remaining=len(companies) - index - 1
            )
        return True


# The triage's part of the ticket lives beside the triage, in one file that the
# intake's and the jobs' changes in helpdesk_ticket.py do not touch.
class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    sgc_triage_text = fields.Text(
        string="Words Read by the Triage",
        copy=False,
        readonly=True,
        help="The request's words as the triage reads them: without diacritics, "
        "chat shorthand written out, without the quoted reply and the signature.",
    )
    sgc_suggested_category_id = fields.Many2one(
        comodel_name="helpdesk.ticket.category",
        string="Suggested Request Type",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The request type the triage read from the request's words.",
    )
    sgc_suggestion_confidence = fields.Float(
        string="Suggestion Confidence",
        copy=False,
        readonly=True,
        aggregator="avg",
        help="From 0 to 1: how sure the triage is of its suggestion. At or above "
        "the company's threshold the ticket is routed automatically.",
    )
    sgc_suggestion_words = fields.Char(
        string="Deciding Words",
        copy=False,
        readonly=True,
        help="The keywords and learnt words that decided the suggestion.",
    )
    sgc_similar_ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        relation="helpdesk_ticket_triage_similar_rel",
        column1="ticket_id",
        column2="similar_id",
        string="Similar Past Tickets",
        copy=False,
        readonly=True,
        help="Past tickets of the suggested type, confirmed by a person, with the "
        "same deciding words.",
    )
    sgc_auto_routed = fields.Boolean(
        string="Routed by the Triage",
        copy=False,
        readonly=True,
        help="The triage was confident enough to set the request type and route "
        "the ticket.",
    )
    sgc_category_confirmed = fields.Boolean(
        string="Request Type Confirmed",
        copy=False,
        readonly=True,
        help="A person set, accepted or closed the ticket with its request type: "
        "the triage learns from it.",
    )
    sgc_triage_learned_category_id = fields.Many2one(
        comodel_name="helpdesk.ticket.category",
        string="Learnt Under",
        copy=False,
        readonly=True,
        help="The request type whose learnt counts include this ticket.",
    )
    sgc_suggestion_result = fields.Selection(
        selection=[
            ("pending", "Not confirmed yet"),
            ("correct", "Right"),
            ("wrong", "Corrected"),
        ],
        string="Suggestion Result",
        compute="_compute_sgc_suggestion_result",
        store=True,
        help="Once a person confirmed the request type: whether the suggestion "
        "was right.",
    )
    sgc_possible_duplicate_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Possible Duplicate Of",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="An open ticket of the same customer (contact, email or phone) from "
        "the last days, close to this request.",
    )
    sgc_duplicate_score = fields.Float(
        string="Duplicate Similarity", copy=False, readonly=True
    )

    @api.depends("sgc_suggested_category_id", "category_id", "sgc_category_confirmed")
    def _compute_sgc_suggestion_result(self):
        for ticket in self:
            if not ticket.sgc_suggested_category_id:
                ticket.sgc_suggestion_result = False
            elif not ticket.sgc_category_confirmed:
                ticket.sgc_suggestion_result = "pending"
            elif ticket.category_id == ticket.sgc_suggested_category_id:
                ticket.sgc_suggestion_result = "correct"
            else:
                ticket.sgc_suggestion_result = "wrong"

    def init(self):
        res = super().init()
        # The similar-tickets lookup (helpdesk.ticket.triage._similar).
        create_index(
            self.env.cr,
            "helpdesk_ticket_sgc_triage_text_fts_idx",
            self._table,
            ["to_tsvector('simple', coalesce(sgc_triage_text, ''))"],
            method="gin",
        )
        return res

    def _sgc_run_triage(self, routed_at=None):
        """The triage of tickets of the intake pipeline, run by their job
        (``_sgc_job_intake``) rather than by the customer's request: the words,
        the suggestion (and its routing when confident enough, as of
        ``routed_at``, when the request arrived), the possible duplicate, and
        the notes that say so."""
        Triage = self.env["helpdesk.ticket.triage"]
        for ticket in self:
            extra = Triage._ticket_vals(
                {
                    "company_id": ticket.company_id.id,
                    "name": ticket.name,
                    "description": ticket.description,
                    "category_id": ticket.category_id.id,
                    "partner_id": ticket.partner_id.id,
                    "partner_email": ticket.partner_email,
                },
                ticket_id=ticket.id,
            )
            if extra.get("sgc_auto_routed") and routed_at and not ticket.routed_date:
                extra["routed_date"] = routed_at
            ticket.write(extra)
            if ticket.sgc_auto_routed:
                ticket._message_log(body=ticket._sgc_triage_note())
            duplicate = ticket.sgc_possible_duplicate_id
            if duplicate:
                ticket._message_log(
                    body=Markup("<p>%s</p>")
                    % self.env._(
                        "Possible duplicate of %(number)s (%(name)s), an open "
                        "ticket of the same customer: check it before working "
                        "on both.",
                        number=duplicate.number,
                        name=duplicate.name,
                    )
                )
        return True

    def write(self, vals):
        res = super().write(vals)
        person = not self.env.su and not self.env.user.share
        confirm = self.browse()
        if "category_id" in vals and person:
            confirm = self.filtered("category_id")
        if "stage_id" in vals:
            # Closing a ticket confirms its request type: it was handled as one.
            confirm |= self.filtered(lambda t: t.state == "done" and t.category_id)
        confirm = confirm.filtered(lambda t: not t.sgc_category_confirmed)
        if confirm:
            # sudo: the triage's own bookkeeping (a flag and learnt counts derived
            # from the tickets' words), for whoever set the request type.
            confirm.sudo().write({"sgc_category_confirmed": True})
        learn = confirm
        if "category_id" in vals:
            learn |= self.filtered("sgc_category_confirmed")
        if learn:
            # sudo: counts derived from the tickets' own words, nothing rendered
            self.env["helpdesk.ticket.triage"].sudo()._learn(learn.sudo())
        return res

    def _sgc_triage_note(self):
        """The chatter note of a ticket the triage routed."""
        self.ensure_one()
        parts = [
            self.env._(
                "Routed automatically as %(type)s (confidence %(confidence)s%%).",
                type=self.category_id.display_name,
                confidence=round(self.sgc_suggestion_confidence * 100),
            )
        ]
        if self.sgc_suggestion_words:
            parts.append(self.env._("Deciding words: %s.", self.sgc_suggestion_words))
        if self.sgc_similar_ticket_ids:
            parts.append(
                self.env._(
                    "Similar past tickets: %s.",
                    ", ".join(self.sgc_similar_ticket_ids.mapped("number")),
                )
            )
        return Markup("<p>%s</p>") % " ".join(parts)

    def action_sgc_accept_suggestion(self):
        """One click: the suggested request type, routed as if chosen."""
        self.ensure_one()
        self.check_access("write")
        if not self.sgc_suggested_category_id:
            raise UserError(self.env._("This ticket has no suggested request type."))
        self.write({"category_id": self.sgc_suggested_category_id.id})
        self._message_log(
            body=self.env._(
                "Suggested request type %(type)s accepted by %(user)s.",
                type=self.category_id.display_name,
                user=self.env.user.name,
            )
        )
        return True

    def action_sgc_confirm_duplicate(self):
        """The possible duplicate is one: marked as helpdesk_mgmt's duplicate."""
        self.ensure_one()
        self.check_access("write")
        if not self.sgc_possible_duplicate_id:
            raise UserError(self.env._("This ticket has no possible duplicate."))
        self.write({"duplicate_id": self.sgc_possible_duplicate_id.id})
        return True

    def action_sgc_dismiss_duplicate(self):
        """Not a duplicate: the flag goes."""
        self.ensure_one()
        self.check_access("write")
        duplicate = self.sgc_possible_duplicate_id
        # sudo: the flag is the triage's (read-only in the form); the user
        # may write this ticket (checked above).
        self.sudo().write({"sgc_possible_duplicate_id": False})
        self._message_log(
            body=self.env._(
                "%(user)s: not a duplicate of %(number)s.",
                user=self.env.user.name,
                number=duplicate.number,
            )
        )
        return True
