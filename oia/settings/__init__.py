"""Settings package: ``base`` is shared, ``local`` is the developer default,
``test`` is for pytest and ``production`` for deployments."""
