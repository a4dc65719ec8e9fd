"""The PHQ-15 in words, in the reader's language: the instrument's stem, items and answers
(the published Dutch version's wording in the Dutch catalogue, DOMAIN.md §7), and the names
and sentences for bands, scoring rules and change, for screens, charts and documents.

The scoring module gives numbers and enums; everything a person reads about them is here,
translated when it is shown (lazy strings), so a Dutch PDF can be made from an English page.
"""

from __future__ import annotations

from therapy.i18n.translation import gettext as _
from therapy.i18n.translation import lazy_gettext as _l
from therapy.i18n.translation import ngettext
from therapy.services.phq15.scoring import (
    ARROW,
    EN_DASH,
    ITEM_COUNT,
    MAX_MISSING,
    MINUS,
    RECOVERY_BELOW,
    Band,
    Change,
    ChangeClass,
    Phq15Score,
    ScoreRule,
)

STEM = _l(
    "During the past 4 weeks, how much have you been bothered by any of the following problems?"
)
ANSWER_LABELS = {
    0: _l("Not bothered at all"),
    1: _l("Bothered a little"),
    2: _l("Bothered a lot"),
}
NOT_APPLICABLE_LABEL = _l("Not applicable")
ITEM_TEXTS = {
    1: _l("Stomach pain"),
    2: _l("Back pain"),
    3: _l("Pain in your arms, legs, or joints (knees, hips, etc.)"),
    4: _l("Menstrual cramps or other problems with your periods"),
    5: _l("Pain or problems during sexual intercourse"),
    6: _l("Headaches"),
    7: _l("Chest pain"),
    8: _l("Dizziness"),
    9: _l("Fainting spells"),
    10: _l("Feeling your heart pound or race"),
    11: _l("Shortness of breath"),
    12: _l("Constipation, loose bowels, or diarrhea"),
    13: _l("Nausea, gas, or indigestion"),
    14: _l("Feeling tired or having low energy"),
    15: _l("Trouble sleeping"),
}
ITEM_NOTES = {4: _l("women only")}
COPYRIGHT = _l(
    "PHQ-15 © Pfizer Inc. No permission required to reproduce, translate, display or distribute."
)

BAND_LABELS = {
    Band.MINIMAL: _l("Minimal"),
    Band.LOW: _l("Low"),
    Band.MEDIUM: _l("Medium"),
    Band.HIGH: _l("High"),
}
CHANGE_LABELS = {
    ChangeClass.RELIABLY_IMPROVED: _l("Reliably improved"),
    ChangeClass.IMPROVED: _l("Improved"),
    ChangeClass.UNCHANGED: _l("Unchanged"),
    ChangeClass.WORSENED: _l("Worsened"),
    ChangeClass.RELIABLY_DETERIORATED: _l("Reliably deteriorated"),
}


def band_label(band: Band) -> str:
    """The band's name ("Medium", "gemiddeld" in Dutch)."""
    return str(BAND_LABELS[band])


def band_text(band: Band) -> str:
    """The band's name with its totals: "Medium (10–14)"."""
    return f"{band_label(band)} ({band.range_text})"


def score_description(score: Phq15Score) -> str:
    """How the total was obtained, in one sentence for the screen and the report."""
    maximum = score.maximum
    if score.rule is ScoreRule.COMPLETE:
        return _(
            "Complete: sum of %(items)d items (0%(dash)s%(maximum)d)",
            items=ITEM_COUNT,
            dash=EN_DASH,
            maximum=maximum,
        )
    if score.rule is ScoreRule.ITEM4_NOT_APPLICABLE:
        return _(
            "Item 4 not applicable: sum of %(items)d items, out of %(maximum)d",
            items=score.applicable,
            maximum=maximum,
        )
    missing = ngettext("%(num)d item missing", "%(num)d items missing", score.missing)
    if score.rule is ScoreRule.PRORATED:
        text = _(
            "Prorated: %(missing)s, %(answered)d of %(applicable)d answered, rounded half up",
            missing=missing,
            answered=score.answered,
            applicable=score.applicable,
        )
        not_applicable = _("item 4 not applicable, out of %(maximum)d", maximum=maximum)
    else:
        text = _(
            "Incomplete: %(missing)s (more than %(most)d), no total",
            missing=missing,
            most=MAX_MISSING,
        )
        not_applicable = _("item 4 not applicable")
    return f"{text}; {not_applicable}" if score.not_applicable else text


def change_sentence(change: Change) -> str:
    """The change in words: "Reliably improved: 18 → 9 (−9 points); recovered (now below 10)"."""
    # A real minus sign reads better than a hyphen next to the arrow.
    sign = MINUS if change.difference < 0 else "+" if change.difference > 0 else ""
    size = abs(change.difference)
    points = ngettext("%(num)d point", "%(num)d points", size)
    text = (
        f"{CHANGE_LABELS[change.change_class]}: {change.baseline} {ARROW} {change.latest} "
        f"({sign}{points})"
    )
    if change.change_class is not ChangeClass.RELIABLY_IMPROVED:
        return text
    if change.recovered:
        return _("%(text)s; recovered (now below %(limit)d)", text=text, limit=RECOVERY_BELOW)
    return _("%(text)s; not recovered (still %(limit)d or above)", text=text, limit=RECOVERY_BELOW)


def change_brief(change: Change) -> str:
    """The change without the totals a table shows beside it: "Reliably improved (−9 points)"."""
    sign = MINUS if change.difference < 0 else "+" if change.difference > 0 else ""
    points = ngettext("%(num)d point", "%(num)d points", abs(change.difference))
    text = f"{CHANGE_LABELS[change.change_class]} ({sign}{points})"
    if change.change_class is not ChangeClass.RELIABLY_IMPROVED:
        return text
    if change.recovered:
        return _("%(text)s; recovered (now below %(limit)d)", text=text, limit=RECOVERY_BELOW)
    return _("%(text)s; not recovered (still %(limit)d or above)", text=text, limit=RECOVERY_BELOW)


def english_item_text(number: int) -> str:
    """An item's English wording whatever the reader's language (LOINC's display, FHIR):
    the untranslated text the lazy string was made from."""
    return str(ITEM_TEXTS[number]._args[0])
