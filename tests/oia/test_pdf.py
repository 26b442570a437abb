"""Every PDF of the app (the council report, the record of processing
activities, a person's export) prints through ``oia.pdf``: fonts and each
stylesheet made once per process, and nothing fetched over the network,
whatever the printed text contains."""

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pypdf import PdfReader

from oia import privacy
from oia.pdf import _stylesheet, print_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def listening_server():
    """A real HTTP server on this machine that counts the requests it gets."""
    asked = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", asked
    server.shutdown()
    server.server_close()


def test_a_printed_address_is_never_fetched(listening_server):
    address, asked = listening_server
    html = (
        f'<html lang="en"><head><link rel="stylesheet" href="{address}/style.css"></head>'
        f'<body><h1>Export</h1><img src="{address}/photo.png" alt=""><p style="background: url({address}/bg.png)">x</p>'
        "</body></html>"
    )

    pdf = print_pdf(html, "css/record-print.css")

    assert pdf.startswith(b"%PDF")
    assert asked == []


def test_the_record_of_processing_prints_through_the_shared_printer():
    _stylesheet.cache_clear()

    first = privacy.render_pdf()
    privacy.render_pdf()

    assert _stylesheet.cache_info().misses == 1
    assert _stylesheet.cache_info().hits >= 1
    assert "Record of processing activities" in PdfReader(io.BytesIO(first)).pages[0].extract_text()
