"""narrex command-line application (the import packages are ``extract``, ``graph`` and ``check``)."""
__version__ = "0.1.0"
