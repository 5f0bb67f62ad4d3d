"""Ready-made networks built from named presets."""
