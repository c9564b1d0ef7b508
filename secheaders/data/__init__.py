"""Vendored reference data (see NOTICE for origins and licences)."""
