"""English short dates without the US month-first order: "4 May 2026"
(Django's "05/04/2026" reads as 5 April to most of the office's readers).
Long dates stay Django's ("May 4, 2026")."""

SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
