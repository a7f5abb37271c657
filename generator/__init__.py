"""Static public transparency portal generator for the Inspectorate to the Supreme Judicial Council."""

__version__ = "0.1.0"
