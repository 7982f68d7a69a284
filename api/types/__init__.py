"""The public types of the GraphQL schema, one module per subject."""
