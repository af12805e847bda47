"""What volunteers and reviewers do with the findings: the detective-task queue and reviewers' overrides
(`review`, pure), the letter to a kommune's politicians (`letters`, pure), and a tip of one URL, fetched, read and
stored as a one-URL check (`tips`, through `tracker.ingest`). The dashboard's act and review pages call these;
their rows are the store's (`tracker.store.volunteer_tips`, `reviews`, `acts`).
"""
