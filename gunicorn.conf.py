"""gunicorn's settings, read from the working directory (the Dockerfile's CMD
and scripts/fuzz.py start it there). Command-line flags still win."""

# The access log, with secret tokens in URLs (calendar feeds, password resets) redacted.
logger_class = "oia.gunicorn_logging.RedactingLogger"
accesslog = "-"
# Request-line and header limits (bytes / count); request bodies are limited by
# nginx's client_max_body_size and the app (OIA_MAX_UPLOAD_MB, DATA_UPLOAD_MAX_*).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# A worker silent for this many seconds is killed and replaced (gunicorn's
# default, made explicit): nginx (deploy/nginx.conf) waits 75 s, so it hears
# gunicorn's answer first. nginx reads each request body in full before
# passing it on, so a slow upload never holds a worker.
timeout = 30
graceful_timeout = 30


# Prometheus metrics from every worker (oia.metrics): with PROMETHEUS_MULTIPROC_DIR
# set, each worker writes its values to files there and /metrics adds them up.
def on_starting(server):
    """Values of the workers of a previous run must not be added to the new ones."""
    import os
    from pathlib import Path

    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        for stale in Path(directory).glob("*.db"):
            stale.unlink(missing_ok=True)


def child_exit(server, worker):
    """A dead worker's live gauges are dropped; its counters still count."""
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
