"""The private site: records rendered into a Material for MkDocs site."""
