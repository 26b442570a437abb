"""gunicorn's settings, read from the working directory (the Dockerfile's CMD
and scripts/fuzz.py start it there). Command-line flags still win."""

# The access log, with secret tokens in URLs (calendar feeds, password resets) redacted.
logger_class = "oia.gunicorn_logging.RedactingLogger"
accesslog = "-"
# Request-line and header limits (bytes / count); request bodies are limited by
# Django's DATA_UPLOAD_MAX_MEMORY_SIZE and FILE_UPLOAD limits (settings) and the proxy.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
