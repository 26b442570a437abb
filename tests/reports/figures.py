"""Reading a report's figures in tests: a section, a key figure, a table's rows."""


def section(figures, key):
    return next(s for s in figures["sections"] if s["key"] == key)


def figure(figures, section_key, figure_key):
    return next(f for f in section(figures, section_key)["figures"] if f["key"] == figure_key)


def rows(figures, section_key, table_key):
    return next(t for t in section(figures, section_key)["tables"] if t["key"] == table_key)["rows"]
