"""Words for the outcomes page's PHQ-15 and PSFS change classes, marked for translation."""

from __future__ import annotations

from therapy.i18n.translation import lazy_gettext as _l

CHANGE_LABELS = {
    "reliably_improved": _l("Reliably improved"),
    "improved": _l("Improved"),
    "unchanged": _l("Unchanged"),
    "worsened": _l("Worsened"),
    "reliably_deteriorated": _l("Reliably deteriorated"),
    "recovered": _l("Recovered"),
    "none": _l("No change measured"),
}
PSFS_LABELS = {
    "improved": _l("Improved"),
    "unchanged": _l("Unchanged"),
    "deteriorated": _l("Deteriorated"),
    "none": _l("No paired rating"),
}
