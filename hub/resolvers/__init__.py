"""GraphQL resolver logic: check the caller's scope, call the store, batch through DataLoaders."""
