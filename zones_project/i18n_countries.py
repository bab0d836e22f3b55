"""Country names for Urdu readers, which django-countries does not translate.

django-countries asks gettext for each English name (`"Pakistan"`); our catalogue, which comes
first (LOCALE_PATHS), answers in Urdu for the countries listed here: those in the demo and the
real data files, and the countries most investment into Pakistan comes from. Any other
country keeps its English name. `gettext_noop` only marks the names for `makemessages`; the
test checks each one is django-countries' name for its code and has its Urdu.

To add a country: add its code to URDU_COUNTRIES and its name (exactly as
`django_countries.countries.name(code)` gives it) below, run `make messages`, translate.
"""

from django.utils.translation import gettext_noop

URDU_COUNTRIES = (
    "PK",
    "CN",
    "AE",
    "SA",
    "US",
    "GB",
    "DE",
    "CA",
    "CH",
    "SE",
    "SG",
    "ID",
    "JP",
    "KR",
    "MY",
    "NL",
    "TR",
    "AF",
    "AU",
    "AT",
    "AZ",
    "BH",
    "BD",
    "BE",
    "BR",
    "DK",
    "EG",
    "FI",
    "FR",
    "HK",
    "IN",
    "IR",
    "IQ",
    "IE",
    "IT",
    "JO",
    "KZ",
    "KW",
    "LU",
    "MV",
    "MX",
    "NZ",
    "NO",
    "OM",
    "PH",
    "PL",
    "PT",
    "QA",
    "RU",
    "ZA",
    "ES",
    "LK",
    "TW",
    "TH",
    "TM",
    "UZ",
    "VN",
    "NP",
    "KG",
    "TJ",
    "NG",
    "KE",
    "MA",
    "ET",
    "BN",
    "LB",
    "YE",
    "SY",
    "HU",
    "CZ",
    "GR",
    "RO",
    "UA",
    "CL",
    "AR",
)

gettext_noop("Pakistan")  # PK
gettext_noop("China")  # CN
gettext_noop("United Arab Emirates")  # AE
gettext_noop("Saudi Arabia")  # SA
# Translators: the full official name; confirm the Foreign Office's Urdu rendering.
gettext_noop("United States of America")  # US
# Translators: برطانیہ is the usual Urdu; the official name (مملکتِ متحدہ) may be required.
gettext_noop("United Kingdom")  # GB
gettext_noop("Germany")  # DE
gettext_noop("Canada")  # CA
gettext_noop("Switzerland")  # CH
gettext_noop("Sweden")  # SE
gettext_noop("Singapore")  # SG
gettext_noop("Indonesia")  # ID
gettext_noop("Japan")  # JP
gettext_noop("South Korea")  # KR
gettext_noop("Malaysia")  # MY
gettext_noop("Netherlands")  # NL
# Translators: the official English name since 2022; ترکیہ follows it, confirm the official Urdu.
gettext_noop("Türkiye")  # TR
gettext_noop("Afghanistan")  # AF
gettext_noop("Australia")  # AU
gettext_noop("Austria")  # AT
gettext_noop("Azerbaijan")  # AZ
gettext_noop("Bahrain")  # BH
gettext_noop("Bangladesh")  # BD
gettext_noop("Belgium")  # BE
gettext_noop("Brazil")  # BR
gettext_noop("Denmark")  # DK
gettext_noop("Egypt")  # EG
gettext_noop("Finland")  # FI
gettext_noop("France")  # FR
# Translators: a special administrative region of China; official wording to confirm.
gettext_noop("Hong Kong")  # HK
gettext_noop("India")  # IN
gettext_noop("Iran")  # IR
gettext_noop("Iraq")  # IQ
gettext_noop("Ireland")  # IE
gettext_noop("Italy")  # IT
gettext_noop("Jordan")  # JO
gettext_noop("Kazakhstan")  # KZ
gettext_noop("Kuwait")  # KW
gettext_noop("Luxembourg")  # LU
gettext_noop("Maldives")  # MV
gettext_noop("Mexico")  # MX
gettext_noop("New Zealand")  # NZ
gettext_noop("Norway")  # NO
gettext_noop("Oman")  # OM
gettext_noop("Philippines")  # PH
gettext_noop("Poland")  # PL
gettext_noop("Portugal")  # PT
gettext_noop("Qatar")  # QA
gettext_noop("Russia")  # RU
gettext_noop("South Africa")  # ZA
gettext_noop("Spain")  # ES
gettext_noop("Sri Lanka")  # LK
# Translators: shown as django-countries names it; official wording to confirm.
gettext_noop("Taiwan")  # TW
gettext_noop("Thailand")  # TH
gettext_noop("Turkmenistan")  # TM
gettext_noop("Uzbekistan")  # UZ
gettext_noop("Vietnam")  # VN
gettext_noop("Nepal")  # NP
gettext_noop("Kyrgyzstan")  # KG
gettext_noop("Tajikistan")  # TJ
gettext_noop("Nigeria")  # NG
gettext_noop("Kenya")  # KE
gettext_noop("Morocco")  # MA
gettext_noop("Ethiopia")  # ET
gettext_noop("Brunei")  # BN
gettext_noop("Lebanon")  # LB
gettext_noop("Yemen")  # YE
gettext_noop("Syria")  # SY
gettext_noop("Hungary")  # HU
# Translators: Czechia; the official Urdu rendering awaits confirmation.
gettext_noop("Czechia")  # CZ
gettext_noop("Greece")  # GR
gettext_noop("Romania")  # RO
gettext_noop("Ukraine")  # UA
gettext_noop("Chile")  # CL
gettext_noop("Argentina")  # AR
