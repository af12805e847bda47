"""The Subscribe pages' words in bokmål, English and Danish (`dashboards.i18n.register`), with Nynorsk beside them.

The present catalogue holds three languages (nb, en, da); NYNORSK below has every key in Nynorsk so the one catalogue
that replaces `dashboards.i18n` can take all four at merge. `scope_words` says in words what a subscription follows
(for the confirmation mail, which is in any of the four).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from dashboards.i18n import register

# key: (nb, en, da)
_TEXT: Final[dict[str, tuple[str, str, str]]] = {
    "nav.subscribe": ("Varsler", "Alerts", "Advarsler"),
    "pub.title": ("Abonner på varsler", "Subscribe to alerts", "Abonnér på advarsler"),
    "pub.intro": (
        "Få beskjed når en kommunes plan dukker opp, endres, flyttes eller forsvinner: på e-post eller som webhook. "
        "Abonnementet starter først når du har bekreftet det, og hvert varsel har en lenke som stopper det.",
        "Be told when a kommune's plan appears, changes, moves or vanishes: by e-mail or as a webhook. The "
        "subscription starts only once you have confirmed it, and every alert has a link that stops it.",
        "Få besked, når en kommunes plan dukker op, ændres, flyttes eller forsvinder: på e-mail eller som webhook. "
        "Abonnementet starter først, når du har bekræftet det, og hver advarsel har et link, der stopper det.",
    ),
    "pub.channel": ("Hvordan", "How", "Hvordan"),
    "pub.channel_email": ("E-post", "E-mail", "E-mail"),
    "pub.channel_webhook": ("Webhook (for systemer)", "Webhook (for systems)", "Webhook (til systemer)"),
    "pub.email": ("E-postadresse", "E-mail address", "E-mailadresse"),
    "pub.url": ("Webhook-adresse (https://…)", "Webhook address (https://…)", "Webhook-adresse (https://…)"),
    "pub.secret": ("Hemmelighet for signaturen", "Signing secret", "Hemmelighed til signaturen"),
    "pub.secret_help": (
        "Minst 16 tegn. Hver levering signeres med HMAC-SHA256 i X-Planvakt-Signature. Forslaget er laget nå, "
        "bare for deg; behold det.",
        "At least 16 characters. Every delivery is signed with HMAC-SHA256 in X-Planvakt-Signature. The suggestion "
        "was made just now, only for you; keep it.",
        "Mindst 16 tegn. Hver levering signeres med HMAC-SHA256 i X-Planvakt-Signature. Forslaget er lavet nu, "
        "kun til dig; gem det.",
    ),
    "pub.scope": ("Hvilke kommuner", "Which kommuner", "Hvilke kommuner"),
    "pub.scope_all": ("Alle kommuner", "Every kommune", "Alle kommuner"),
    "pub.scope_region": ("Ett fylke eller én region", "One fylke or region", "Ét fylke eller én region"),
    "pub.scope_kommuner": ("Bestemte kommuner", "Chosen kommuner", "Bestemte kommuner"),
    "pub.region": ("Fylke eller region", "Fylke or region", "Fylke eller region"),
    "pub.kommuner_help": (
        "Kommunenumre skilt med mellomrom eller komma, f.eks. 0301 4601",
        "Kommune numbers separated by spaces or commas, e.g. 0301 4601",
        "Kommunenumre adskilt med mellemrum eller komma, f.eks. 0101 0751",
    ),
    "pub.kinds": ("Hendelser", "Events", "Hændelser"),
    "pub.digest": ("Samle e-postene", "Bundle the e-mails", "Saml e-mailene"),
    "pub.digest.none": ("én e-post per hendelse", "one e-mail per event", "én e-mail pr. hændelse"),
    "pub.digest.daily": ("én e-post om dagen", "one e-mail a day", "én e-mail om dagen"),
    "pub.digest.weekly": ("én e-post i uka", "one e-mail a week", "én e-mail om ugen"),
    "pub.language": ("Språk i varslene", "Language of the alerts", "Sprog i advarslerne"),
    "pub.language_default": ("kommunens eget", "the kommune's own", "kommunens eget"),
    "pub.lang.nb": ("bokmål", "Norwegian Bokmål", "norsk bokmål"),
    "pub.lang.nn": ("nynorsk", "Norwegian Nynorsk", "nynorsk"),
    "pub.lang.da": ("dansk", "Danish", "dansk"),
    "pub.submit": ("Abonner", "Subscribe", "Abonnér"),
    "pub.refused": ("Abonnementet ble ikke laget", "The subscription was not made", "Abonnementet blev ikke oprettet"),
    "pub.need_region": (
        "Velg et fylke eller en region.",
        "Choose a fylke or region.",
        "Vælg et fylke eller en region.",
    ),
    "pub.check_mail.title": ("Sjekk e-posten", "Check your e-mail", "Tjek din e-mail"),
    "pub.check_mail.text": (
        "Hvis adressen kan ta imot e-post, er en e-post med en bekreftelseslenke på vei. Abonnementet starter når "
        "du har fulgt lenken og bekreftet. Lenken gjelder i 48 timer.",
        "If the address can receive e-mail, a message with a confirmation link is on its way. The subscription "
        "starts when you have followed the link and confirmed. The link is valid for 48 hours.",
        "Hvis adressen kan modtage e-mail, er en e-mail med et bekræftelseslink på vej. Abonnementet starter, når "
        "du har fulgt linket og bekræftet. Linket gælder i 48 timer.",
    ),
    "pub.mail_failed": (
        "E-posten kunne ikke sendes nå. Ingenting ble lagret; prøv igjen senere.",
        "The e-mail could not be sent just now. Nothing was stored; try again later.",
        "E-mailen kunne ikke sendes lige nu. Intet blev gemt; prøv igen senere.",
    ),
    "pub.test_failed.title": (
        "Testleveringen kom ikke fram",
        "The test delivery failed",
        "Testleveringen kom ikke frem",
    ),
    "pub.test_failed.text": (
        "Mottakeren må svare 2xx på testleveringen. Ingenting ble slått på.",
        "The receiver must answer 2xx to the test delivery. Nothing was switched on.",
        "Modtageren skal svare 2xx på testleveringen. Intet blev slået til.",
    ),
    "pub.enter_code.title": ("Skriv inn koden", "Type in the code", "Indtast koden"),
    "pub.enter_code.text": (
        "Mottakeren din fikk en signert testlevering med feltet confirmation_code. Skriv koden inn her innen en time "
        "for å slå på abonnementet.",
        "Your receiver got a signed test delivery with the field confirmation_code. Type the code in here within an "
        "hour to switch the subscription on.",
        "Din modtager fik en signeret testlevering med feltet confirmation_code. Indtast koden her inden for en time "
        "for at slå abonnementet til.",
    ),
    "pub.code": ("Kode", "Code", "Kode"),
    "pub.code_wrong": ("Koden stemmer ikke.", "The code does not match.", "Koden passer ikke."),
    "pub.code_submit": ("Slå på", "Switch on", "Slå til"),
    "pub.confirm.title": ("Bekreft abonnementet", "Confirm the subscription", "Bekræft abonnementet"),
    "pub.confirm.text": (
        "Trykk på knappen for å starte varslene.",
        "Press the button to start the alerts.",
        "Tryk på knappen for at starte advarslerne.",
    ),
    "pub.confirm.button": ("Bekreft", "Confirm", "Bekræft"),
    "pub.confirmed.title": ("Abonnementet er i gang", "The subscription is on", "Abonnementet er i gang"),
    "pub.confirmed.text": (
        "Du får varsler om hendelser fra nå av. Hvert varsel har en lenke som stopper dem.",
        "You will be alerted to events from now on. Every alert has a link that stops them.",
        "Du får advarsler om hændelser fra nu af. Hver advarsel har et link, der stopper dem.",
    ),
    "pub.already": (
        "Denne lenken er allerede brukt, eller abonnementet er stoppet.",
        "This link has been used already, or the subscription was stopped.",
        "Dette link er allerede brugt, eller abonnementet er stoppet.",
    ),
    "pub.bad_link": (
        "Lenken er ufullstendig, endret eller utløpt.",
        "The link is incomplete, was changed or has expired.",
        "Linket er ufuldstændigt, ændret eller udløbet.",
    ),
    "pub.unsubscribe.title": ("Stopp varslene", "Stop the alerts", "Stop advarslerne"),
    "pub.unsubscribe.text": (
        "Trykk på knappen, så får denne mottakeren ingen flere varsler fra dette abonnementet.",
        "Press the button and this receiver gets no more alerts from this subscription.",
        "Tryk på knappen, så får denne modtager ikke flere advarsler fra dette abonnement.",
    ),
    "pub.unsubscribe.button": ("Stopp varslene", "Stop the alerts", "Stop advarslerne"),
    "pub.unsubscribed.title": ("Varslene er stoppet", "The alerts are stopped", "Advarslerne er stoppet"),
    "pub.unsubscribed.text": (
        "Ingen flere varsler sendes til denne mottakeren fra dette abonnementet.",
        "No more alerts go to this receiver from this subscription.",
        "Der sendes ikke flere advarsler til denne modtager fra dette abonnement.",
    ),
    "pub.rate": (
        "For mange forsøk fra denne maskinen. Prøv igjen om {minutes} minutter.",
        "Too many attempts from this machine. Try again in {minutes} minutes.",
        "For mange forsøg fra denne maskine. Prøv igen om {minutes} minutter.",
    ),
    "pub.back": ("Tilbake til skjemaet", "Back to the form", "Tilbage til formularen"),
}
register(dict(_TEXT))

#: the same keys in Nynorsk, for the one catalogue (issue 13) to fold in
NYNORSK: Final[dict[str, str]] = {
    "nav.subscribe": "Varsel",
    "pub.title": "Abonner på varsel",
    "pub.intro": "Få melding når planen til ein kommune dukkar opp, vert endra, flytta eller forsvinn: på e-post eller "
    "som webhook. Abonnementet startar først når du har stadfesta det, og kvart varsel har ei lenkje som stoppar det.",
    "pub.channel": "Korleis",
    "pub.channel_email": "E-post",
    "pub.channel_webhook": "Webhook (for system)",
    "pub.email": "E-postadresse",
    "pub.url": "Webhook-adresse (https://…)",
    "pub.secret": "Løyndom for signaturen",
    "pub.secret_help": "Minst 16 teikn. Kvar levering vert signert med HMAC-SHA256 i X-Planvakt-Signature. Framlegget "
    "er laga no, berre for deg; ta vare på det.",
    "pub.scope": "Kva kommunar",
    "pub.scope_all": "Alle kommunar",
    "pub.scope_region": "Eitt fylke eller éin region",
    "pub.scope_kommuner": "Utvalde kommunar",
    "pub.region": "Fylke eller region",
    "pub.kommuner_help": "Kommunenummer skilde med mellomrom eller komma, t.d. 0301 4601",
    "pub.kinds": "Hendingar",
    "pub.digest": "Samle e-postane",
    "pub.digest.none": "éin e-post per hending",
    "pub.digest.daily": "éin e-post om dagen",
    "pub.digest.weekly": "éin e-post i veka",
    "pub.language": "Språk i varsla",
    "pub.language_default": "kommunen sitt eige",
    "pub.lang.nb": "bokmål",
    "pub.lang.nn": "nynorsk",
    "pub.lang.da": "dansk",
    "pub.submit": "Abonner",
    "pub.refused": "Abonnementet vart ikkje laga",
    "pub.need_region": "Vel eit fylke eller ein region.",
    "pub.check_mail.title": "Sjå i e-posten",
    "pub.check_mail.text": "Viss adressa kan ta imot e-post, er ein e-post med ei stadfestingslenkje på veg. "
    "Abonnementet startar når du har følgt lenkja og stadfesta. Lenkja gjeld i 48 timar.",
    "pub.mail_failed": "E-posten kunne ikkje sendast no. Ingenting vart lagra; prøv att seinare.",
    "pub.test_failed.title": "Testleveringa kom ikkje fram",
    "pub.test_failed.text": "Mottakaren må svare 2xx på testleveringa. Ingenting vart slått på.",
    "pub.enter_code.title": "Skriv inn koden",
    "pub.enter_code.text": "Mottakaren din fekk ei signert testlevering med feltet confirmation_code. Skriv koden inn "
    "her innan ein time for å slå på abonnementet.",
    "pub.code": "Kode",
    "pub.code_wrong": "Koden stemmer ikkje.",
    "pub.code_submit": "Slå på",
    "pub.confirm.title": "Stadfest abonnementet",
    "pub.confirm.text": "Trykk på knappen for å starte varsla.",
    "pub.confirm.button": "Stadfest",
    "pub.confirmed.title": "Abonnementet er i gang",
    "pub.confirmed.text": "Du får varsel om hendingar frå no av. Kvart varsel har ei lenkje som stoppar dei.",
    "pub.already": "Denne lenkja er alt brukt, eller abonnementet er stoppa.",
    "pub.bad_link": "Lenkja er ufullstendig, endra eller gått ut.",
    "pub.unsubscribe.title": "Stopp varsla",
    "pub.unsubscribe.text": "Trykk på knappen, så får denne mottakaren ikkje fleire varsel frå dette abonnementet.",
    "pub.unsubscribe.button": "Stopp varsla",
    "pub.unsubscribed.title": "Varsla er stoppa",
    "pub.unsubscribed.text": "Ingen fleire varsel vert sende til denne mottakaren frå dette abonnementet.",
    "pub.rate": "For mange forsøk frå denne maskina. Prøv att om {minutes} minutt.",
    "pub.back": "Attende til skjemaet",
}

_EVERY: Final = {"nb": "alle kommuner", "nn": "alle kommunar", "da": "alle kommuner", "en": "every kommune"}
_KOMMUNER: Final = {
    "nb": "kommunene {list}",
    "nn": "kommunane {list}",
    "da": "kommunerne {list}",
    "en": "kommuner {list}",
}


def scope_words(kommuner: Sequence[str], regions: Sequence[str], lang: str) -> str:
    """What a subscription follows, in words: "alle kommuner", "Vestland", "kommunene 0301, 4601"."""
    lang = lang if lang in _EVERY else "nb"
    parts = list(regions)
    if kommuner:
        parts.append(_KOMMUNER[lang].format(list=", ".join(kommuner)))
    return "; ".join(parts) if parts else _EVERY[lang]
