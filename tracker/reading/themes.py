"""The themes a document's subject is read by: child sexual abuse, violence in general or in close relationships,
and other plan topics, as weighted phrase tables (Bokmål, Nynorsk, Danish). :mod:`tracker.reading.classify` counts them
by where they stand and decides; only the phrases are here."""

from __future__ import annotations

import re

_CHILD = r"(?:små\s+)?(?:barn|barna|barnet|born|borna|børn|børnene|unge|ungdom\w*|mindreårige|elever)"
# Wider child context for "is this about children?" checks, not for theme phrases.
_CHILD_CONTEXT = (
    rf"(?:{_CHILD}|barns?|børns|barnehage\w*|barnehagar\w*|dagtilbud\w*|skole\w*|skule\w*|elev\w*|oppvekst\w*)"
)
_SEX = r"seksu\w*|sex\w*"

# (pattern, theme, weight). Longer phrases win over the shorter ones they contain (see tracker.reading.classify._scan).
_THEME_RULES: tuple[tuple[str, str, float], ...] = (
    # child sexual abuse
    (
        rf"(?:{_SEX})\s+(?:overgrep|overgreb|vold|vald|krenkels\w*|krænkels\w*|misbruk\w*|misbrug\w*|"
        rf"utnytting\w*|utnyttelse\w*|udnyttelse\w*)\s+(?:mot|mod|på|av|af|overfor|imot)\s+{_CHILD}",
        "abuse",
        3.0,
    ),
    (rf"(?:overgrep|overgreb|misbrug|misbruk)\s+(?:mot|mod|på|af|av|imot)\s+{_CHILD}", "abuse", 2.0),
    (
        r"seksu\w*\s+(?:overgrep|overgreb|krenkels\w*|krænkels\w*|misbrug\w*|misbruk\w*|utnytting\w*|"
        r"utnyttelse\w*|udnyttelse\w*|vold|vald)",
        "abuse",
        2.0,
    ),
    (r"incest\w*|nettovergrep\w*|overgrepsmateriale|overgrebsmateriale|sexkrænkels\w*|sexchikane", "abuse", 2.0),
    (r"grooming|seksuelt\s+(?:krenkende|krænkende|misbrugt|misbrukt)|seksualisert\w*", "abuse", 1.5),
    (
        r"(?:skadelig|problematisk|bekymringsfull|grenseoverskridende)\s+seksu\w*\s+(?:atferd|åtferd|adfærd)",
        "abuse",
        1.5,
    ),
    (r"overgrep\w*|overgreb\w*", "abuse", 1.0),
    (r"barnehus\w*|børnehus\w*|overgrepsmottak\w*", "abuse", 0.5),
    # violence in general / in close relationships
    (r"v[oa]ld\s+(?:og\s+overgre[pb]\s+)?i\s+nære\s+rela(?:sjon|tion)\w*", "violence", 3.0),
    (r"partn[ae]rv[oa]ld\w*|kj(?:æ|a)r(?:e|a)stev[oa]ld\w*|kærestevold\w*|familiev[oa]ld\w*", "violence", 2.0),
    (r"v[oa]ld\s+i\s+(?:familien|familiar|familier|hjemmet|heimen|parforhold\w*)", "violence", 2.0),
    (
        r"æresrelater\w*|negativ\s+so[sc]ial\s+kontrol\w*|tvangsekteskap\w*|tvangsægteskab\w*|"
        r"kjønnslemlest\w*|kønslemlæst\w*",
        "violence",
        1.5,
    ),
    (r"v[oa]ld\s+(?:mot|mod)\s+kvinn?(?:er|der)|v[oa]ld\s+mod\s+kvinder", "violence", 1.5),
    (
        r"v[oa]ldsutøv\w*|v[oa]ldsutsatt\w*|v[oa]ldsutsett\w*|voldsudsat\w*|voldsramt\w*|kriseso?[ec]nt[ee]r\w*",
        "violence",
        1.0,
    ),
    (
        r"ungdomsv[oa]ld\w*|v[oa]ld\s+i\s+nattelivet|gatev[oa]ld\w*|v[oa]ld\s+i\s+det\s+offentlige\s+rom",
        "violence",
        1.0,
    ),
    (r"v[oa]ld\w*", "violence", 0.5),
    # violence that is another plan's subject: extremism, and threats against staff (HMS / arbejdsmiljø)
    (
        r"radikalisering\w*|radikalisering|radikalisme|v[oa]ldelig\s+ekstremisme|voldelig\s+ekstremisme|"
        r"ekstremisme\w*|v[oa]ld\s+og\s+(?:trusl[ae]r|trugsmål|trusler)\s+(?:mot|mod)\s+(?:ansatte|tilsette|"
        r"medarbejdere)|v[oa]ld\s+(?:mot|mod)\s+(?:ansatte|tilsette|medarbejdere)|trugsmål\w*",
        "other_topic",
        1.0,
    ),
    # other plan topics
    (
        r"trafikk\w*|trafik\w*|rusmiddel\w*|rusmidl\w*|alkohol\w*|rusforebygg\w*|folkehelse\w*|folkesundhed\w*|"
        r"sundhedspolitik\w*|kommuneplan\w*|samfunnsdel\w*|arealdel\w*|klima\w*|kulturplan\w*|kulturpolitik\w*|"
        r"idrett\w*|idræt\w*|fysisk\s+aktivitet|boligsosial\w*|bustadsosial\w*|skolemiljø\w*|skulemiljø\w*|"
        r"mobbing\w*|mobning\w*|antimobb\w*|trivsel\w*|psykisk\s+(?:helse|sundhed)|beredskapsplan\w*|"
        r"kriseberedskap\w*|krisestyring\w*|krisehåndtering\w*|flom\w*|oversvømmels\w*|ros-analyse\w*|"
        r"digitalisering\w*|næringsplan\w*|erhvervs\w*|vannforsyning\w*|spildevand\w*|børnepolitik\w*|"
        r"barnepolitikk\w*|oppvekstplan\w*|friluftsliv\w*|landbruk\w*|planstrategi\w*",
        "other_topic",
        1.0,
    ),
)

#: (compiled phrase, theme, weight), theme one of "abuse", "violence", "other_topic"
THEME_PATTERNS = tuple(
    (re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), theme, w) for pattern, theme, w in _THEME_RULES
)
#: words that put a text among children (a wider net than the theme phrases' own)
CHILD_RE = re.compile(rf"\b{_CHILD_CONTEXT}\b", re.IGNORECASE)
SEXUAL_RE = re.compile(r"\b(?:seksu\w*|sex\w*|incest\w*|grooming)\b", re.IGNORECASE)
