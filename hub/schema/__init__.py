"""The unified GraphQL schema: strawberry types built from store rows, and the Schema."""
