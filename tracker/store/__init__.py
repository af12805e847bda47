"""The store: the one package that issues SQL. Cut by aggregate; each module takes a Session (or an Engine)
from its caller, who owns the transaction."""
