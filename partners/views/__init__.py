"""Views of the partners app, one module per concept."""
