"""Watching a kommune's plans over time: what changed since the last check, and recording it.

The pure part takes a kommune's known plans and one new check and gives events and the plans' new state
(`changes`: what goes in and comes out; `change_detector`: the rules; `text_identity`: a document's fingerprint,
page hashes and sketch, so a re-exported PDF is the same plan; `plan_diff`: what a changed plan's evidence says).
`watching` is the edge: which known URLs a check re-fetches, and the events and state it records through
`tracker.store.watch` in the site's transaction.
"""
