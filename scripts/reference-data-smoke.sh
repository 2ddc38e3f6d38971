#!/usr/bin/env bash
# Placeholder until the politics importers land: fails loudly rather than pretending.
echo "reference-data smoke check not implemented yet" >&2
exit 1
