"""English dates and times the way the office writes them: day first, 24-hour
clock ("4 May 2026", "14 December 2026, 10:00"). Django's US defaults
("05/04/2026", "Dec. 14, 2026, 10 a.m.") read as 5 April to most of the
office's readers. German keeps Django's own formats ("04.05.2026",
"14. Dezember 2026 10:00")."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
