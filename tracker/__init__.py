"""The core: kommuner, their plans and what became of them over runs. Data flows one way:

    registry -> crawl (crawlers/, through pipeline, finished_sites, site_check) -> ingest (blobs, reading/)
    -> findings -> watch/ -> store/ -> alerts/ · export · dashboards/

At this level the crawl's spine and the pieces everyone shares (config, domain, errors, clock, filemodes,
secretbox, blobs); below it one package per concept: `reading/` (pure: text -> reading), `watch/` (change events
over checks), `alerts/` (messages, channels, subscriptions, the outbox), `volunteers/` (review queue and overrides,
letters, tips), `schedule/` (the scheduler and the sweep job queue), `store/` (every SQL statement) and
`catalogue/` (every word a person reads). Never imports `planvakt` or `dashboards`.
"""
