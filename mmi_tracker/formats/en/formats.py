"""How the app writes dates and times, everywhere: "12 Mar 2026", "12 Mar 2026, 14:05".

One unambiguous format (no US/European day-order guessing). Django's English locale formats
("March 12, 2026") take precedence over settings.DATE_FORMAT, so they are replaced here
(settings.FORMAT_MODULE_PATH); input formats stay Django's. The app's own pages, messages
and reports write dates through cases/templatetags/dates.py (`day`, `moment`), which gives the
same words and adds the zone to a time ("12 Mar 2026, 14:05 CST"); these formats remain for
Django's own output (the admin, widgets).
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
