"""aixin (爱心): records, checks and a private site for the 爱心妈妈 programme."""

__version__ = "0.1.0"
