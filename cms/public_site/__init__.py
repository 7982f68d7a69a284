"""The owners' side of the site: what a street, community or compound page shows of its scope,
and each scope's notices page (current and archived)."""
