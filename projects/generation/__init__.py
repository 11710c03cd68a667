"""Generation: a shot becomes takes. Requests, the provider registry, the pipeline steps."""
