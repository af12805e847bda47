"""The `planvakt` command: the composition root above `tracker`, `crawlers` and `dashboards`.

It parses options, builds the dependencies once and calls into the three packages; none of them imports it back.
"""
