"""An email backend that fails like a mail server that is down, for a worker
subprocess (``OIA_TEST_EMAIL_BACKEND=tests.failing_email.EmailBackend``)."""

from smtplib import SMTPException

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPException("451 Mail server unavailable (test backend)")
