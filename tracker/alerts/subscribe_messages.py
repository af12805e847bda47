"""What a self-made subscription is sent before it is active: the confirmation e-mail and the webhook's test delivery.

Pure: no I/O, no clock. The confirmation e-mail is the only message an address gets until its owner follows the
link in it, so it says plainly who asked (someone on Planvakt's form), what for, and that ignoring it is enough.
Written in the four languages of the dashboard (nb, nn, da, en); the language is the form's.
"""

from __future__ import annotations

import json
from email.message import EmailMessage
from typing import Final

from tracker.domain import LOCALES

TEST_EVENT_KIND: Final = "subscription_test"

_SUBJECT: Final[dict[str, str]] = {
    "nb": "Bekreft abonnementet på varsler fra Planvakt",
    "nn": "Stadfest abonnementet på varsel frå Planvakt",
    "da": "Bekræft abonnementet på advarsler fra Planvakt",
    "en": "Confirm your subscription to Planvakt alerts",
}
_BODY: Final[dict[str, str]] = {
    "nb": (
        "Noen (forhåpentligvis du) ba på Planvakts nettsted om varsler til denne adressen når en kommunes plan mot "
        "seksuelle overgrep mot barn dukker opp, endres, flyttes eller forsvinner.\n\n"
        "Følger: {scope}\n\n"
        "Bekreft abonnementet her (lenken gjelder i 48 timer):\n{link}\n\n"
        "Ba du ikke om dette, kan du se bort fra e-posten. Du får ingenting mer fra oss uten at lenken brukes."
    ),
    "nn": (
        "Nokon (forhåpentleg du) bad på nettstaden til Planvakt om varsel til denne adressa når planen til ein "
        "kommune mot seksuelle overgrep mot born dukkar opp, vert endra, flytta eller forsvinn.\n\n"
        "Følgjer: {scope}\n\n"
        "Stadfest abonnementet her (lenkja gjeld i 48 timar):\n{link}\n\n"
        "Bad du ikkje om dette, kan du sjå bort frå e-posten. Du får ikkje noko meir frå oss utan at lenkja vert brukt."
    ),
    "da": (
        "Nogen (forhåbentlig dig) bad på Planvakts hjemmeside om advarsler til denne adresse, når en kommunes plan "
        "mod seksuelle overgreb mod børn dukker op, ændres, flyttes eller forsvinder.\n\n"
        "Følger: {scope}\n\n"
        "Bekræft abonnementet her (linket gælder i 48 timer):\n{link}\n\n"
        "Har du ikke bedt om det, kan du se bort fra e-mailen. Du får ikke mere fra os, medmindre linket bruges."
    ),
    "en": (
        "Someone (hopefully you) asked on Planvakt's website for alerts to this address when a kommune's plan "
        "against sexual abuse of children appears, changes, moves or vanishes.\n\n"
        "Following: {scope}\n\n"
        "Confirm the subscription here (the link is valid for 48 hours):\n{link}\n\n"
        "If you did not ask for this, ignore this e-mail. You will get nothing more from us unless the link is used."
    ),
}
_TEST_TEXT: Final[dict[str, str]] = {
    "nb": "Testlevering fra Planvakt. Skriv inn koden i skjemaet for å slå på abonnementet.",
    "nn": "Testlevering frå Planvakt. Skriv inn koden i skjemaet for å slå på abonnementet.",
    "da": "Testlevering fra Planvakt. Indtast koden i formularen for at slå abonnementet til.",
    "en": "Test delivery from Planvakt. Type the code into the form to switch the subscription on.",
}


def _lang(language: str) -> str:
    return language if language in LOCALES else "nb"


def confirmation_email(link: str, scope: str, language: str) -> EmailMessage:
    """The double opt-in message: the signed, expiring confirmation `link`, what will be followed (`scope`, in
    words), and that ignoring it is enough. From, To and Date are the sender's (`EmailChannel.transmit`)."""
    lang = _lang(language)
    message = EmailMessage()
    message["Subject"] = _SUBJECT[lang]
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(_BODY[lang].format(scope=scope, link=link) + "\n", charset="utf-8")
    message["Content-Language"] = lang  # after set_content, which clears every Content-* header
    return message


def webhook_test_body(subscription_id: int, code: str, unsubscribe_url: str, language: str) -> bytes:
    """The signed test delivery's body: the same shape as an alert (compact JSON, sorted keys), kind
    `subscription_test`, carrying the confirmation `code` and the unsubscribe URL every delivery carries."""
    document = {
        "id": f"subscription-test-{subscription_id}",
        "kind": TEST_EVENT_KIND,
        "confirmation_code": code,
        "text": _TEST_TEXT[_lang(language)],
        "unsubscribe_url": unsubscribe_url,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
