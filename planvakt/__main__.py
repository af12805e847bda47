"""`python -m planvakt` runs the `planvakt` command line."""

from planvakt.cli import app

app(prog_name="planvakt")
