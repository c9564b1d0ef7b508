"""Rules for each header area: each module yields findings and the area's graded test."""
