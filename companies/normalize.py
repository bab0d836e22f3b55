"""Company-name normalisation for duplicate detection.

"Acme Ltd", "ACME LIMITED" and "Acme (Pvt.) Ltd" are one company: case, accents,
punctuation and legal-form words do not tell companies apart.
"""

import re
import unicodedata

# Legal-form words, compared after punctuation is removed and case folded.
LEGAL_FORM_WORDS = {
    "ltd", "limited", "pvt", "private", "plc", "llc", "llp", "inc", "incorporated",
    "corp", "corporation", "co", "company", "gmbh", "ag", "sa", "bv", "nv", "pte",
    "pty", "smc", "the", "and", "&", "pt", "tbk", "sdn", "bhd", "kk", "spa", "srl",
}  # fmt: skip


def normalize_company_name(name: str) -> str:
    """Return the key under which two spellings of one company's name coincide."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ")
    words = re.findall(r"\w+", text)
    kept = [word for word in words if word not in LEGAL_FORM_WORDS]
    # A name made only of legal words ("The Company Ltd") keeps its words.
    return " ".join(kept or words)
