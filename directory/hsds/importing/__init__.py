"""Reading an HSDS package as published (3.x, 1.x, Ohana 1.0 CSV; folder or zip), checking
every row, and writing it in bulk as a sync: ``load.import_package`` is the way in."""
