"""Views of the budget app, one module per concept."""
