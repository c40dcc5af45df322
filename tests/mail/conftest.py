"""The SMTP server fixtures for the tests of this folder."""

from tests.support.smtp import mail_config, smtp  # noqa: F401
