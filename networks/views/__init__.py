"""Views of the networks app, one module per concept."""
