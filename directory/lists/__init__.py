"""A case manager's saved lists: named selections of services kept in their order, private
unless shared with the facility's staff, printed as a sheet and shared discreetly."""
