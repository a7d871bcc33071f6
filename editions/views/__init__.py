"""The pages, one module per responsibility."""
