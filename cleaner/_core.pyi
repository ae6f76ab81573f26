"""The compiled core of cleaner (Rust, ``core/``): private, used through the Python modules."""

__version__: str
