"""`python -m tracker` runs the `planvakt` command line."""

from tracker.cli import app

app(prog_name="planvakt")
