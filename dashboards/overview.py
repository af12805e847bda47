"""The overview page: counts per standing (an expired plan apart from a current one), the dot map of Norway and
Denmark, counts per fylke/region, and the sortable, filterable table (filters and sorting live in the URL)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from dashboards.dot_map import SHAPES, layout, load_geodata
from dashboards.i18n import register
from dashboards.overview_query import (
    CURRENT_VALUES,
    SORT_KEYS,
    STANDINGS,
    STATUSES,
    apply_filter,
    count_statuses,
    counts_by_region,
    parse_filter,
)
from dashboards.read_model import kommune_statuses
from dashboards.rendering import render

router = APIRouter()

register(
    {
        "standing.plan_current": (
            "Egen plan, gjeldende",
            "Specific plan, current",
            "Egen plan, gældende",
        ),
        "standing.plan_expired": ("Egen plan, utløpt", "Specific plan, expired", "Egen plan, udløbet"),
        "standing.plan_undated": (
            "Egen plan, ukjent periode",
            "Specific plan, period unknown",
            "Egen plan, ukendt periode",
        ),
        "standing.general_violence_plan_only": (
            "Bare generell voldsplan",
            "General violence plan only",
            "Kun generel voldsplan",
        ),
        "standing.no_plan_found": ("Ingen plan funnet", "No plan found", "Ingen plan fundet"),
        "standing.site_unreachable": (
            "Nettstedet svarte ikke / blokkert",
            "Site unreachable / blocked",
            "Hjemmesiden svarede ikke / blokeret",
        ),
        "standing.not_checked": ("Ikke sjekket ennå", "Not checked yet", "Ikke tjekket endnu"),
        "overview.plans_note": (
            "{plans} har en egen plan mot seksuelle overgrep; {current} av dem er gjeldende.",
            "{plans} have a plan specific to sexual abuse; {current} of them are current.",
            "{plans} har en egen plan mod seksuelle overgreb; {current} af dem er gældende.",
        ),
        "overview.trends_link": ("Se utviklingen over tid.", "See the trends over time.", "Se udviklingen over tid."),
        "overview.min_share": (
            "Minst andel av kriteriene (%)",
            "At least share of criteria met (%)",
            "Mindst andel af kriterierne (%)",
        ),
        "map.country_label": (
            "Kart over {country}: én prikk per kommune, lenke til kommunens side",
            "Map of {country}: one dot per municipality, linking to its page",
            "Kort over {country}: én prik pr. kommune, link til kommunens side",
        ),
        "map.kommuner": ("kommuner", "municipalities", "kommuner"),
        "map.approximate": (
            "{n} kommuner uten kjent punkt er tegnet omtrentlig, med en stiplet ring, rundt midten av "
            "fylket/regionen sitt.",
            "{n} municipalities without a known point are drawn approximately, with a dashed ring, around the middle "
            "of their county/region.",
            "{n} kommuner uden kendt punkt er tegnet omtrentligt, med en stiplet ring, omkring midten af deres region.",
        ),
        "map.approximate_short": ("omtrentlig plassering", "approximate position", "omtrentlig placering"),
        "map.unplaced": (
            "Ikke på kartet (ukjent sted og fylke/region)",
            "Not on the map (unknown place and county/region)",
            "Ikke på kortet (ukendt sted og region)",
        ),
        "map.sources": (
            "Én prikk per kommune, ved et punkt i kommunen (Norge: Kartverket, CC BY 4.0) eller "
            "administrasjonsbyen (Danmark: GeoNames, CC BY 4.0), på landkonturer fra Natural Earth. "
            "Bornholm er flyttet inn i en boks. Tabellen under har de samme lenkene.",
            "One dot per municipality, at a point inside it (Norway: Kartverket, CC BY 4.0) or its seat town "
            "(Denmark: GeoNames, CC BY 4.0), on Natural Earth country outlines. Bornholm is moved into a box. "
            "The table below has the same links.",
            "Én prik pr. kommune, ved et punkt i kommunen (Norge: Kartverket, CC BY 4.0) eller rådhusbyen "
            "(Danmark: GeoNames, CC BY 4.0), på landkonturer fra Natural Earth. Bornholm er flyttet ind i en boks. "
            "Tabellen nedenfor har de samme links.",
        ),
    }
)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def overview(request: Request) -> HTMLResponse:
    chosen = parse_filter(request.query_params)
    with request.app.state.session_factory() as session:
        rows = kommune_statuses(session)
    shown = apply_filter(rows, chosen)
    regions = sorted({(r.country, r.region) for r in rows if r.region}, key=lambda p: (p[0] != "NO", p[1]))
    return render(
        request,
        "overview.html",
        {
            "rows": shown,
            "total": len(rows),
            "filter": chosen,
            "summary": count_statuses(rows),
            "shown_summary": count_statuses(shown),
            "by_region": counts_by_region(rows),
            "map": layout(rows, load_geodata()),
            "statuses": STATUSES,
            "standings": STANDINGS,
            "shapes": SHAPES,
            "sort_keys": SORT_KEYS,
            "current_values": CURRENT_VALUES,
            "regions": regions,
        },
    )
