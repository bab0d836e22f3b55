"""The company's pages: its registrations, licences, plots and annual returns."""
