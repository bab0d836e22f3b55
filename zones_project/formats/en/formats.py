"""English on this site is British English: en-GB's date and number formats for "en"."""

from django.conf.locale.en_GB.formats import *  # noqa: F403
