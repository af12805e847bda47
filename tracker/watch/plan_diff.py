"""What changed between a plan's last known content and the document that replaced it (pages added, removed and
changed, years, category, similarity), as the evidence of a `plan_changed` event. Pure."""

from __future__ import annotations

import difflib

from tracker.domain import years_text
from tracker.watch.changes import KnownPlan, SeenDocument
from tracker.watch.text_identity import similarity


def diff_summary(old: KnownPlan, new: SeenDocument) -> dict[str, object]:
    """What changed between a plan's last known content and a new document: pages, years, category."""
    details: dict[str, object] = {}
    parts: list[str] = []
    if old.page_hashes and new.page_hashes:
        added = removed = changed = 0
        matcher = difflib.SequenceMatcher(a=old.page_hashes, b=new.page_hashes, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "insert":
                added += j2 - j1
            elif tag == "delete":
                removed += i2 - i1
            elif tag == "replace":
                common = min(i2 - i1, j2 - j1)
                changed += common
                added += (j2 - j1) - common
                removed += (i2 - i1) - common
        details.update(pages_added=added, pages_removed=removed, pages_changed=changed)
        parts.append(f"pages +{added} -{removed} ~{changed}")
    elif old.page_count is not None and new.page_count is not None and old.page_count != new.page_count:
        delta = new.page_count - old.page_count
        details.update(pages_added=max(delta, 0), pages_removed=max(-delta, 0))
        parts.append(f"pages {old.page_count} -> {new.page_count}")
    if old.page_count != new.page_count:
        details["page_count"] = [old.page_count, new.page_count]
    old_years, new_years = years_text(old.year_start, old.year_end), years_text(new.year_start, new.year_end)
    if old_years != new_years:
        details["years"] = [old_years, new_years]
        parts.append(f"years {old_years or '?'} -> {new_years or '?'}")
    if old.category != new.category:
        details["category"] = [old.category.value, new.category.value]
        parts.append(f"category {old.category.value} -> {new.category.value}")
    if old.sketch and new.sketch:
        details["similarity"] = round(similarity(old.sketch, new.sketch), 3)
    details["summary"] = "; ".join(parts) or "text changed"
    return details
