"""The practice's settings: its language, and how change is judged (PHQ-15 and PSFS)."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from sqlalchemy import select

from therapy.extensions import db
from therapy.models import Practice
from therapy.services.phq15.scoring import ChangeSettings
from therapy.services.psfs.scoring import DEFAULT_MCID as DEFAULT_PSFS_MCID

# Accepted ranges. The database's own checks are wider; these keep a typo from changing what
# every chart and letter calls reliable or important. An SD above 15 is half the PHQ-15 scale
# (no sample spreads that widely); an MCID above a third (PHQ-15) or half (PSFS) of the scale
# is no longer a minimal difference.
SD_MAX = 15.0
PHQ15_MCID_RANGE = (1, 10)
PSFS_MCID_RANGE = (0.5, 5.0)


class SettingsError(ValueError):
    """A setting outside its range; the message names the setting."""


@dataclass(frozen=True)
class PracticeSettings:
    """The four change settings; the defaults are those of DOMAIN.md §3 and §2."""

    phq15_sd: float = ChangeSettings.sd
    phq15_alpha: float = ChangeSettings.alpha
    phq15_mcid: int = ChangeSettings.mcid
    psfs_mcid: float = DEFAULT_PSFS_MCID

    def __post_init__(self) -> None:
        """Refuse values outside the accepted ranges (NaN and infinity included)."""
        if not (math.isfinite(self.phq15_sd) and 0 < self.phq15_sd <= SD_MAX):
            raise SettingsError("phq15_sd")
        if not (math.isfinite(self.phq15_alpha) and 0 < self.phq15_alpha < 1):
            raise SettingsError("phq15_alpha")
        low, high = PHQ15_MCID_RANGE
        if type(self.phq15_mcid) is not int or not low <= self.phq15_mcid <= high:
            raise SettingsError("phq15_mcid")
        low_psfs, high_psfs = PSFS_MCID_RANGE
        if not (math.isfinite(self.psfs_mcid) and low_psfs <= self.psfs_mcid <= high_psfs):
            raise SettingsError("psfs_mcid")

    @property
    def change(self) -> ChangeSettings:
        """The PHQ-15 change settings, with the reliable-change threshold they give."""
        return ChangeSettings(mcid=self.phq15_mcid, sd=self.phq15_sd, alpha=self.phq15_alpha)


def _practice() -> Practice | None:
    return db.session.scalar(select(Practice).order_by(Practice.id).limit(1))


def current_settings() -> PracticeSettings:
    """The practice's settings, or the defaults while the installation has no practice row."""
    practice = _practice()
    if practice is None:
        return PracticeSettings()
    return PracticeSettings(
        phq15_sd=float(practice.phq15_sd),
        phq15_alpha=float(practice.phq15_alpha),
        phq15_mcid=int(practice.phq15_mcid),
        psfs_mcid=float(practice.psfs_mcid),
    )


def save_settings(settings: PracticeSettings) -> tuple[Practice, list[str]]:
    """Store the settings (adding the practice row if there is none); what changed, in words."""
    practice = _practice()
    if practice is None:
        practice = Practice(name="")
        db.session.add(practice)
    before = current_settings()
    changes = []
    for field in fields(PracticeSettings):
        old, new = getattr(before, field.name), getattr(settings, field.name)
        if old != new:
            changes.append(f"{field.name} {old:g} -> {new:g}")
        setattr(practice, field.name, new)
    db.session.flush()
    return practice, changes


def save_language(language: str) -> tuple[Practice, bool]:
    """Set the practice's default language (adding the practice row if there is none);
    True when it changed."""
    practice = _practice()
    if practice is None:
        practice = Practice(name="", language=language)
        db.session.add(practice)
        db.session.flush()
        return practice, True
    changed = practice.language != language
    practice.language = language
    db.session.flush()
    return practice, changed
