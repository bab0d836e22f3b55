"""Words the public pages translate that are not written in their templates.

The enums' labels (a zone's status, a company's origin, ...) stay plain English strings in
their `choices.py`, so the API, the reports and the admin never change language with a
visitor's Accept-Language; the public templates translate them as they render them
(`{% translate zone.get_status_display %}`). `gettext_noop` only marks them here, for
`makemessages` to put them in locale/ur/LC_MESSAGES/django.po. A test checks that every label
of these enums is in the catalogue, so a label added later is not silently left in English.

The number words of `intword` ("1.5 billion") are in Django's own Urdu catalogue only in part;
ours, which takes precedence (LOCALE_PATHS), completes them.
"""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

# zones.choices.ZoneStatus
gettext_noop("Proposed")
gettext_noop("Approved")
gettext_noop("Under development")
gettext_noop("Operational")
gettext_noop("Suspended")
gettext_noop("Cancelled")
# companies.choices.Origin
gettext_noop("Domestic")
gettext_noop("Global")
# companies.choices.RegistrationStatus
gettext_noop("Received")
gettext_noop("Under review")
gettext_noop("Information requested")
gettext_noop("Accepted")
gettext_noop("Declined")
gettext_noop("Withdrawn")
# investments.choices.PledgeStatus
gettext_noop("Announced")
gettext_noop("Committed")
gettext_noop("In progress")
gettext_noop("Realised")
# enterprises.choices.LicenceStatus
gettext_noop("Applied")
gettext_noop("Licensed")
gettext_noop("Revoked")
gettext_noop("Surrendered")
gettext_noop("Expired")

# programme.open_data.Column.type, in the open data page's data dictionary (the files keep the
# English word, which partners' parsers read).
pgettext_lazy("data type", "text")
pgettext_lazy("data type", "integer")
pgettext_lazy("data type", "decimal")
pgettext_lazy("data type", "date")
pgettext_lazy("data type", "boolean")

# django.contrib.humanize's intword, as used by the `usd_words` filter.
INTWORD = (
    ngettext_lazy("%(value)s million", "%(value)s million", "value"),
    ngettext_lazy("%(value)s billion", "%(value)s billion", "value"),
    ngettext_lazy("%(value)s trillion", "%(value)s trillion", "value"),
)
