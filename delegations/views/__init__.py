"""Views of the delegations app, one module per concept."""
