"""Languages: gettext, locale and time zone, date formats, enum labels; imported by every layer."""
