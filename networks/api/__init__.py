"""The networks API: networks, memberships with their fee split, roles held."""
