"""The zone developer's pages: its zones' registrations, enterprises, plots and returns."""
