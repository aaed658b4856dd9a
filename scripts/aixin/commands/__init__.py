"""Click commands kept in their own modules; cli.py registers each one explicitly."""
