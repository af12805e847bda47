"""What a document *is* on the page: a plan, or news, minutes, a hearing notice, service page, landing page, budget.

A news item that says "Kommunen starter arbeidet med handlingsplan mot vold i nære relasjoner" talks about a plan
with all the plan's words; what gives it away is its shape: a date line under the headline, a short lead, quotes,
a future tense. A plan has chapters, measures with ansvar and frist, routines and handleveje, a period, length.
This module reads both the words and that structure, per genre, and keeps the lines that decided as
:class:`~tracker.domain.Evidence` (signal ``genre:<genre>``), so the verdict can be quoted.

Genres and their marks (nb, nn, da):

- ``plan``: plan word in the title (handlingsplan, beredskab, rettleiar ...), plan section headings (Formål, Tiltak,
  Ansvar, Forebygging / Opsporing / Håndtering, Handleveje, Rutiner), numbered headings, a table of contents,
  measures with "Ansvar:" / "Frist:", routines (meldeplikt, underretning, "ved mistanke om"), a period in the
  title, an adoption statement, length;
- ``news``: a date line near the top ("Publisert 03.02.2023", "Udgivet 24.01.2022", "Oprettet ..."), a headline with
  a finite verb ("skal", "får", "reviderer"), work that is still to come ("starter arbeidet med", "skal utarbeide"),
  quotes ("sier ordfører"), a news URL (/nyheter/, /aktuelt/, /nyheder/);
- ``minutes``: case numbers ("Sak 45/23", "PS 12/24"), "Vedtak:", "Innstilling:", "Beslutning:", "Fremmøde",
  "Dagsorden", "Møtedato", case-paper titles (møteprotokoll, saksframlegg, referat, beslutningsprotokol);
- ``hearing_notice``: "Høring:" titles, "høringsfrist", "høringssvar", "sendes på høring", "frist for innspill";
- ``service_page``: help lines and phone numbers ("Ring 112", "116 111"), "Hvor får du hjelp", "Kontakt oss",
  "Akutt hjelp", "Er du utsatt for ...";
- ``landing_page``: a short page that introduces a plan and links to it ("Last ned", "Les planen", "(PDF, 1 MB)");
- ``budget``: budget titles (budsjett, budget, økonomiplan, statsbudsjett, Prop. 1 S), amounts ("mill. kr"),
  bevilgninger, kapittel and post;
- ``other``: none of these, and no plan word or plan structure.

Decision: the strongest non-plan genre wins when it reaches :data:`GENRE_MIN` and beats the plan score; else a
document with a plan score of at least :data:`PLAN_MIN` is a ``plan``; else ``other``. An HTML page (``format`` is
"html") that is short is rarely a plan: it loses plan points and gains landing-page points; a long HTML page with
chapters and measures is a plan. The excerpts of the corpus are plain text (``format`` "txt") and are not
judged by their length.
"""

from __future__ import annotations

from tracker.reading.genre.cues import PLAN_RE
from tracker.reading.genre.decision import GENRE_MIN, PLAN_MIN, GenreReading, genre_name, read_genre

__all__ = ["GENRE_MIN", "PLAN_MIN", "PLAN_RE", "GenreReading", "genre_name", "read_genre"]
