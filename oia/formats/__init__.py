"""Date formats of our own where Django's default for a language reads wrongly
to the office (settings.FORMAT_MODULE_PATH); anything not named here is Django's."""
